-- The seed's two products: one to buy, one that is always sold out.
INSERT INTO products (name, price_cents, stock) VALUES
  ('Book', 1500, 1000000),
  ('OutOfStockItem', 999, 0)
ON CONFLICT (name) DO NOTHING;

import { useState } from 'react';
import { Link, useLocation } from './router';
import { SearchPage } from './pages/SearchPage';
import { TracePage } from './pages/TracePage';
import { ServiceMapPage } from './pages/ServiceMapPage';
import { ServicesPage } from './pages/ServicesPage';
import { GuidePage } from './guide/GuidePage';
import { ComparePage } from './pages/ComparePage';
import { applyTheme, loadTheme, type ThemeChoice } from './theme';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };

export function App() {
  const { path } = useLocation();
  const [theme, setTheme] = useState<ThemeChoice>(loadTheme);
  const traceMatch = /^\/trace\/([^/]+)\/?$/.exec(path);

  let page;
  if (traceMatch) page = <TracePage traceId={decodeURIComponent(traceMatch[1]!)} />;
  else if (path === '/map') page = <ServiceMapPage />;
  else if (path === '/services') page = <ServicesPage />;
  else if (path === '/guide') page = <GuidePage />;
  else if (path === '/compare') page = <ComparePage />;
  else if (path === '/' || path === '/search') page = <SearchPage />;
  else
    page = (
      <div className="message">
        <h2>Page not found</h2>
        <p>
          There is nothing at <code>{path}</code>. Go to <Link to="/">search</Link>.
        </p>
      </div>
    );

  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          tracehub
        </Link>
        <nav>
          <Link to="/" className={!traceMatch && path !== '/map' && path !== '/guide' && path !== '/services' ? 'active' : ''}>
            Search
          </Link>
          <Link to="/services" className={path === '/services' ? 'active' : ''}>
            Services
          </Link>
          <Link to="/map" className={path === '/map' ? 'active' : ''}>
            Service map
          </Link>
          <Link to="/guide" className={path === '/guide' ? 'active' : ''}>
            Lab guide
          </Link>
        </nav>
        <button
          type="button"
          className="theme-toggle"
          title="Colour scheme: system, light or dark"
          onClick={() => {
            const next = NEXT[theme];
            applyTheme(next);
            setTheme(next);
          }}
        >
          Theme: {theme}
        </button>
      </header>
      <main className="content">{page}</main>
    </div>
  );
}

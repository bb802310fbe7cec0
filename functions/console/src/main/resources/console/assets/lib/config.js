// The sign-in settings the page was served with (<meta> elements, filled in by the console
// function from its environment: no inline script, no extra request).

function meta(name) {
  const element = document.querySelector(`meta[name="${name}"]`);
  return element ? element.content : '';
}

export const config = Object.freeze({
  issuer: meta('wsl-oidc-issuer'),
  clientId: meta('wsl-oidc-client-id'),
  scopes: meta('wsl-oidc-scopes') || 'openid email profile',
  redirectUri: `${location.origin}/oidc/callback`,
});

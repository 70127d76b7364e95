/**
 * Load balancer and orchestrator probes. They skip the geo check and the rate limit: probes
 * come from private addresses the country dataset does not know, they reveal only "ok" or
 * "ready", and their answer must not depend on the rate-limit counts in the database (a
 * database outage must not restart healthy servers; before migrations /readyz says 503).
 */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

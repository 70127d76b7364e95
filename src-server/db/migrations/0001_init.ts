import type { Migration } from './migration.js';

export const init: Migration = {
  version: 1,
  name: 'init',
  statements: [
    // Customer organisations. The name is an organisation's (not a person's) name, so it is
    // stored as text; personal data columns (user names, e-mails) are AES-GCM bytea (P8).
    `CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('studio', 'school')),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      contract_start timestamptz NOT NULL,
      contract_end timestamptz,
      legal_hold boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (contract_end IS NULL OR contract_end >= contract_start)
    )`,
    // Security-relevant events (P12). tenant_id has no foreign key on purpose: the record that
    // proves a tenant was purged (P4) must outlive the tenant. Never a secret or personal data
    // in clear, in any column.
    `CREATE TABLE audit_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      tenant_id uuid,
      actor_id uuid,
      action text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
      target_type text,
      target_id text,
      source_address inet,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    )`,
    `CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at)`,
    `CREATE INDEX audit_events_time ON audit_events (occurred_at)`,
    // One row per request and nothing else (P13); rows older than 7 days are deleted by a job,
    // which the time index serves. No foreign keys: a log row must not block a purge.
    `CREATE TABLE access_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      tenant_id uuid,
      user_id uuid,
      method text NOT NULL,
      route text NOT NULL,
      status smallint NOT NULL,
      duration_ms integer NOT NULL,
      source_address inet
    )`,
    `CREATE INDEX access_log_time ON access_log (occurred_at)`,
  ],
};

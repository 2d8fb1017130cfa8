/**
 * Keys Signet knows from Grafana Agent and Prometheus but does not implement:
 * what a file that uses one would lose. They stop `run` and `config check`
 * unless --allow-unimplemented says the loss is understood; then they are
 * warnings, so a file written for Grafana Agent can still be tried.
 */
import type { ConfigIssue } from '../yaml/config-error.js';

const ALLOW_HINT = 'remove it, or pass --allow-unimplemented to run without it';

/** What would be missing, in the words of someone reading the file. */
/** Promtail's sources other than files: each would read nothing. */
const LOG_SOURCES = new Set([
  'journal',
  'syslog',
  'gcplog',
  'azure_event_hubs',
  'loki_push_api',
  'windows_events',
  'kafka',
  'gelf',
  'cloudflare',
  'heroku_drain',
]);

/** Promtail's push receiver keys, met under a `targets[].loki_push_api` destination. */
const PUSH_RECEIVER_KEYS = new Set(['server', 'labels', 'use_incoming_timestamp']);

function consequence(key: string, parent: string): string {
  if (parent === 'loki_push_api' && PUSH_RECEIVER_KEYS.has(key))
    return 'no Loki push API receiver would listen for pushed lines; under targets[].loki_push_api Signet takes only cloudwatch_logs (with aws_auth or sigv4 beside it), a CloudWatch Logs client';
  if (key.endsWith('_sd_configs')) return `the agent would scrape nothing from ${key}`;
  if (LOG_SOURCES.has(key)) return `no log lines would be read from ${key}`;
  switch (key) {
    case 'integrations':
      return 'no integration would run, and nothing under it would be collected';
    case 'logs':
      return 'no logs would be read or sent';
    case 'traces':
      return 'no traces would be received or sent';
    case 'agent_management':
      return 'the configuration would not be fetched from agent management';
    case 'oauth2':
      return 'requests would be sent without the OAuth 2.0 token';
    case 'scraping_service':
    case 'scraping_service_client':
      return 'the instances would not be shared out among agents';
    default:
      return 'it would have no effect';
  }
}

export function unimplementedIssue(path: readonly PropertyKey[], allowed: boolean): ConfigIssue {
  const key = String(path.at(-1));
  const what = `Signet does not implement ${key}: ${consequence(key, String(path.at(-2)))}`;
  return allowed
    ? {
        path,
        atKey: true,
        message: `${what} (allowed by --allow-unimplemented)`,
        hint: 'remove it',
      }
    : { path, atKey: true, message: what, hint: ALLOW_HINT };
}

/**
 * `/_signet/requests` and `/_signet/faults`: what arrived, and misbehaviour on
 * demand; `/_signet/{signingName}/…` goes to that service's own `control`.
 */
import { parseFaultRules, type Faults } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { LocalRequest, LocalResponse, LocalService } from './service.js';

export function controlEndpoint(
  faults: Faults,
  log: RequestLog,
  clock: () => number,
  services: readonly LocalService[] = [],
) {
  return (request: LocalRequest): Promise<LocalResponse | undefined> => {
    if (!request.rawPath.startsWith('/_signet/')) return Promise.resolve(undefined);
    const json = (status: number, value: unknown): LocalResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    });
    if (request.rawPath === '/_signet/requests' && request.method === 'GET')
      return Promise.resolve(json(200, { requests: log.list() }));
    if (request.rawPath === '/_signet/faults') {
      if (request.method === 'GET')
        return Promise.resolve(json(200, { faults: faults.list(clock()) }));
      if (request.method === 'DELETE') {
        faults.clear();
        return Promise.resolve(json(200, { faults: [] }));
      }
      if (request.method === 'POST') {
        try {
          const rules = parseFaultRules(JSON.parse(request.body.toString('utf8')));
          for (const rule of rules) faults.add(rule, clock());
          return Promise.resolve(json(200, { faults: faults.list(clock()) }));
        } catch (error) {
          return Promise.resolve(
            json(400, {
              message: `bad fault: ${error instanceof Error ? error.message : String(error)}`,
            }),
          );
        }
      }
    }
    const serviceName = /^\/_signet\/([^/]+)\//.exec(request.rawPath)?.[1];
    for (const service of services) {
      if (service.signingName !== serviceName || !service.control) continue;
      const answer = service.control(request);
      if (answer) return Promise.resolve(answer);
    }
    return Promise.resolve(
      json(404, { message: `no control endpoint ${request.method} ${request.rawPath}` }),
    );
  };
}

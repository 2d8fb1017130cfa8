/** Self-metrics whose values are read from their owners when /metrics is collected. */
import { Gauge, type Registry } from 'prom-client';

export function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  collect: (g: Gauge) => void,
): void {
  new Gauge({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect() {
      this.reset();
      collect(this);
    },
  });
}

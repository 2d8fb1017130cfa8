/**
 * `signet local` assembled: configuration, identities, every service, faults,
 * the request log and the HTTP core. Tests start the same stack in-process.
 */
import { loadLocalConfig } from './config/load.js';
import { DEMO_ACCESS_KEY_ID, defaultLocalConfig } from './config/defaults.js';
import type { LocalConfig } from './config/types.js';
import { Faults } from './faults.js';
import { IdentityStore, type KeyRecord } from './iam/identity-store.js';
import { isAllowed } from './iam/policy.js';
import { RequestLog } from './request-log.js';
import { listen } from './listen.js';
import type { LocalService } from './service.js';
import { DirectoryStore, MemoryStore } from './store.js';
import { createApiGatewayService } from './services/apigw/index.js';
import { createApsService } from './services/aps/index.js';
import { createCloudWatchServices } from './services/cloudwatch/index.js';
import { createEc2Service } from './services/ec2/index.js';
import { createEcsService } from './services/ecs/index.js';
import { createFirehoseService, type FirehoseService } from './services/firehose/index.js';
import { createImdsService } from './services/imds/index.js';
import { createKinesisService, type KinesisService } from './services/kinesis/index.js';
import { createLogsService } from './services/logs/index.js';
import { createLokiService, isUnsignedLokiRequest } from './services/loki/index.js';
import { createS3Service } from './services/s3/index.js';
import { createStsService, isUnsignedStsRequest } from './services/sts/index.js';
import { createXRayService, type XRayService } from './services/xray/index.js';

export {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  DEMO_CONTAINER_PATH,
  DEMO_CONTAINER_TOKEN,
} from './config/defaults.js';

export interface LocalOptions {
  readonly port?: number;
  readonly host?: string | undefined;
  readonly region?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly configFile?: string | undefined;
  /** A config given directly (tests); wins over `configFile`. */
  readonly config?: LocalConfig;
  readonly clock?: () => number;
  /** S3's minimum multipart part size; tests lower it. */
  readonly s3MinPartSize?: number;
  /** Log entries Loki holds before dropping the oldest; tests lower it. */
  readonly lokiMaxEntries?: number;
  /**
   * Whether Firehose and Kinesis create a stream a request names that does not
   * exist (default true). Off, they answer ResourceNotFoundException as AWS
   * does: for tests of a missing stream.
   */
  readonly autoCreateStreams?: boolean;
}

export interface LocalStack {
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly config: LocalConfig;
  readonly identities: IdentityStore;
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly firehose: FirehoseService;
  readonly kinesis: KinesisService;
  readonly xray: XRayService;
  /** True when the demo principal (AWS's documentation keys) is in force. */
  readonly demoCredentials: boolean;
  close(): Promise<void>;
}

export async function startLocal(options: LocalOptions = {}): Promise<LocalStack> {
  const region = options.region ?? 'us-east-1';
  const config =
    options.config ??
    (options.configFile ? loadLocalConfig(options.configFile) : defaultLocalConfig(region));
  const clock = options.clock ?? Date.now;
  const store = options.dataDir ? new DirectoryStore(options.dataDir) : new MemoryStore();
  const identities = new IdentityStore(config);
  const faults = new Faults();
  for (const rule of config.faults) faults.add(rule, clock());
  const log = new RequestLog();
  const streams = options.autoCreateStreams === false ? { autoCreate: false } : {};
  const firehose = createFirehoseService(store, streams);
  const kinesis = createKinesisService(store, streams);
  const xray = createXRayService(store);
  const cloudwatch = createCloudWatchServices(store);
  const sts = createStsService(identities, config);
  const loki = createLokiService({ maxEntries: options.lokiMaxEntries });
  // Order matters: the unsigned credential endpoints and path-routed services
  // first, then X-Amz-Target and Action routing, and S3, the catch-all, last.
  const services: LocalService[] = [
    createImdsService(identities, config),
    createEcsService(identities, config),
    createApiGatewayService(config),
    createApsService(store),
    loki,
    xray,
    createLogsService(store),
    firehose,
    kinesis,
    cloudwatch.json,
    sts,
    createEc2Service(config),
    cloudwatch.query,
    createS3Service(
      store,
      options.s3MinPartSize === undefined ? {} : { minPartSize: options.s3MinPartSize },
    ),
  ];
  const listening = await listen<KeyRecord>(
    {
      region,
      services,
      keys: identities,
      policy: {
        isAllowed: (key, action, resource) => isAllowed(key.policy, action, resource).allowed,
      },
      // Loki without auth takes unsigned pushes; a signed one is verified.
      isUnsigned: (service, request) =>
        (service === sts && isUnsignedStsRequest(request)) ||
        (service === loki && isUnsignedLokiRequest(request)),
      faults,
      log,
      clock,
      beforeAnswer: () => store.flush(),
    },
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  return {
    url: listening.url,
    port: listening.port,
    region,
    config,
    identities,
    faults,
    log,
    firehose,
    kinesis,
    xray,
    demoCredentials: config.principals.some((p) => p.accessKeyId === DEMO_ACCESS_KEY_ID),
    close: async () => {
      await listening.close();
      store.flush();
    },
  };
}

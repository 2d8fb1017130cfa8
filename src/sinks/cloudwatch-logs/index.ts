/** The CloudWatch Logs client (issue 13): PutLogEvents as a LogClient of the logs pipeline. */
export {
  CloudWatchLogsClient,
  classifyCloudWatchLogsError,
  type CloudWatchLogsClientDeps,
} from './client.js';
export { LogResourceError } from './target.js';
export {
  CLOUDWATCH_LOGS_SERVICE,
  cloudWatchLogsUrl,
  createCloudWatchLogsDestination,
  type CloudWatchLogsDestinationOptions,
} from './destination.js';
export {
  createCloudWatchLogsMetrics,
  type CloudWatchLogsDropReason,
  type CloudWatchLogsMetrics,
} from './metrics.js';
export {
  CloudWatchLogsConfigError,
  resolveCloudWatchLogsOptions,
  type CloudWatchLogsOptions,
  type LogFormat,
  type OversizeAction,
  type ResolvedCloudWatchLogsOptions,
} from './options.js';
export * as cloudWatchLogsLimits from './limits.js';

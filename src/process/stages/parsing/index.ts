/** Stages that parse a line and extract values: cri, docker, regex, json, logfmt, replace, multiline, template, timestamp, output. */
import type { StageFactory } from '../types.js';
import { criStage } from './cri.js';
import { dockerStage } from './docker.js';
import { jsonStage } from './json.js';
import { logfmtStage } from './logfmt.js';
import { multilineStage } from './multiline.js';
import { outputStage } from './output.js';
import { regexStage } from './regex.js';
import { replaceStage } from './replace.js';
import { templateStage } from './template.js';
import { timestampStage } from './timestamp.js';

export const PARSING_STAGES: Readonly<Record<string, StageFactory>> = {
  cri: criStage,
  docker: dockerStage,
  regex: regexStage,
  json: jsonStage,
  logfmt: logfmtStage,
  replace: replaceStage,
  multiline: multilineStage,
  template: templateStage,
  timestamp: timestampStage,
  output: outputStage,
};

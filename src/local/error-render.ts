import type { LocalResponse, Protocol, ServiceError } from './service.js';

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const JSON_CONTENT: Record<string, string> = {
  json: 'application/x-amz-json-1.1',
  'rest-json': 'application/json',
};

/** An error answer in the shape the service's real endpoint uses, so real clients parse it. */
export function renderError(
  protocol: Protocol,
  error: ServiceError,
  requestId: string,
  method: string,
): LocalResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  let body: string;
  switch (protocol) {
    case 'json':
    case 'rest-json':
      headers['content-type'] = JSON_CONTENT[protocol]!;
      headers['x-amzn-errortype'] = error.code;
      body = JSON.stringify({ __type: error.code, message: error.message, ...error.extra });
      break;
    case 'query':
      headers['content-type'] = 'text/xml';
      body = `<ErrorResponse><Error><Type>${error.fault}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      break;
    case 'ec2':
      headers['content-type'] = 'text/xml;charset=UTF-8';
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      break;
    case 'rest-xml': {
      headers['content-type'] = 'application/xml';
      headers['x-amz-request-id'] = requestId;
      const extra = Object.entries(error.extra)
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join('');
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
      break;
    }
  }
  // HEAD answers carry no body; clients read the status (and S3's x-amz-error-code style headers).
  return { status: error.status, headers, body: method === 'HEAD' ? '' : body };
}

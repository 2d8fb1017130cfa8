/** A config exercising every section, shared by the identity and service tests. */
import { parseLocalConfig } from '../../../src/local/config/load.js';
import type { LocalConfig } from '../../../src/local/config/types.js';

export const ALICE_KEY = 'AKIAALICEEXAMPLE0001';
export const BOB_KEY = 'AKIABOBEXAMPLE000002';
export const PARTNER_KEY = 'AKIAPARTNEREXAMPLE03';
export const CONTAINER_TOKEN = 'container-secret-token';

export const FIXTURE_YAML = `
credential_duration_seconds: 60
principals:
  - name: alice
    account_id: '123456789012'
    access_key_id: ${ALICE_KEY}
    secret_access_key: alice/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLE
    policy: admin
  - name: bob
    account_id: '123456789012'
    access_key_id: ${BOB_KEY}
    secret_access_key: bob/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLEKE
    policy:
      - effect: Allow
        actions: ['logs:Put*', 'sts:AssumeRole']
        resources: '*'
  - name: partner
    account_id: '111122223333'
    access_key_id: ${PARTNER_KEY}
    secret_access_key: partner/secret/EXAMPLEKEYEXAMPLEKEYEXAM
    policy: admin
policies:
  admin:
    - effect: Allow
      actions: '*'
      resources: '*'
  logs-writer:
    - sid: WriteLogs
      effect: Allow
      actions: ['logs:PutLogEvents', 'logs:CreateLogStream']
      resources: ['arn:aws:logs:*:123456789012:log-group:app:*']
roles:
  - arn: arn:aws:iam::123456789012:role/Reader
    max_session_duration: 7200
    trust:
      principals: ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:user/b?b']
    policy: logs-writer
  - arn: arn:aws:iam::123456789012:role/Partner
    trust:
      principals: ['111122223333']
      external_id: ext-123
    policy: logs-writer
  - arn: arn:aws:iam::123456789012:role/Chained
    max_session_duration: 43200
    trust:
      principals: ['arn:aws:iam::123456789012:role/Reader']
    policy: admin
  - arn: arn:aws:iam::123456789012:role/WebApp
    trust:
      principals: []
      web_identity:
        issuer: https://oidc.example.com
        audience: sts.amazonaws.com
        subject: 'system:serviceaccount:default:*'
    policy: logs-writer
  - arn: arn:aws:iam::123456789012:role/service/InstanceRole
    trust:
      principals: []
    policy: logs-writer
  - arn: arn:aws:iam::123456789012:role/TaskRole
    trust:
      principals: []
    policy: logs-writer
instances:
  - instance_id: i-0123456789abcdef0
    image_id: ami-0abcdef1234567890
    instance_type: t3.micro
    private_ip: 10.0.0.10
    public_ip: 203.0.113.10
    state: running
    tags: { Name: web-1, Env: prod }
    availability_zone: us-east-1a
    vpc_id: vpc-0a1b2c3d
    subnet_id: subnet-0a1b2c3d
    launch_time: '2024-05-01T12:00:00Z'
    self: true
    role: arn:aws:iam::123456789012:role/service/InstanceRole
  - instance_id: i-0123456789abcdef1
    image_id: ami-0abcdef1234567890
    instance_type: t3.small
    private_ip: 10.0.0.11
    state: stopped
    tags: { Name: web-2, Env: staging }
    availability_zone: us-east-1b
    vpc_id: vpc-0a1b2c3d
    subnet_id: subnet-0a1b2c3e
    launch_time: '2024-05-02T12:00:00Z'
  - instance_id: i-0123456789abcdef2
    image_id: ami-0abcdef1234567890
    instance_type: m5.large
    private_ip: 10.0.0.12
    state: running
    tags: { Team: data }
    availability_zone: us-east-1a
    vpc_id: vpc-0a1b2c3d
    subnet_id: subnet-0a1b2c3d
    launch_time: '2024-05-03T12:00:00Z'
container:
  role: arn:aws:iam::123456789012:role/TaskRole
  authorization_token: ${CONTAINER_TOKEN}
  credentials_id: task-1234
execute_api:
  /metrics: |
    # TYPE up gauge
    up 1
  team/a/metrics: "requests_total 5\\n"
faults:
  - { service: logs, kind: throttle }
`;

export function fixtureConfig(): LocalConfig {
  return parseLocalConfig(FIXTURE_YAML, 'fixture.yaml');
}

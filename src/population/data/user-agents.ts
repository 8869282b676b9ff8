/**
 * User-agent strings as AWS records them, built from version ranges current in 2025-2026. An actor keeps one
 * user agent per client for its whole life (people do not reinstall their CLI between calls); the CLI and the Go
 * and JS SDKs append a per-call part (`md/command#s3api.get-object`, `api/ec2#1.198.0`) that the source adds.
 */
import type { Rng } from '../../util/rng.js';

export const CLIENT_KINDS = ['console', 'cli', 'boto3', 'go', 'java', 'js', 'terraform'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

const pick = <T>(rng: Rng, xs: readonly T[]): T => rng.pick(xs);

function browser(rng: Rng): string {
  const chrome = rng.range(130, 142);
  const firefox = rng.range(132, 145);
  const safari = pick(rng, ['17.6', '18.1', '18.3', '18.5', '18.6', '26.0', '26.1']);
  const forms = [
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36 Edg/${chrome}.0.0.0`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${firefox}.0) Gecko/20100101 Firefox/${firefox}.0`,
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${firefox}.0) Gecko/20100101 Firefox/${firefox}.0`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`,
    `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
  ];
  const weights = [0.34, 0.24, 0.12, 0.08, 0.06, 0.12, 0.04];
  let x = rng.float();
  for (let i = 0; i < forms.length; i++) {
    x -= weights[i];
    if (x < 0) return forms[i];
  }
  return forms[0];
}

function cliOs(rng: Rng): { os: string; arch: string } {
  const r = rng.float();
  if (r < 0.45) return { os: `macos#${pick(rng, ['23.6.0', '24.1.0', '24.3.0', '24.5.0', '24.6.0', '25.0.0'])}`, arch: pick(rng, ['arm64', 'arm64', 'x86_64']) };
  if (r < 0.8) return { os: `linux#${pick(rng, ['5.15.0-125-generic', '6.8.0-52-generic', '6.8.0-60-generic', '6.11.0-19-generic', '5.15.167.4-microsoft-standard-WSL2'])}`, arch: 'x86_64' };
  return { os: `windows#${pick(rng, ['10', '11'])}`, arch: 'amd64' };
}

function cli(rng: Rng): string {
  const { os, arch } = cliOs(rng);
  const minor = rng.range(22, 31);
  const python = `3.${pick(rng, ['12', '13'])}.${rng.range(1, 9)}`;
  return `aws-cli/2.${minor}.${rng.range(0, 40)} md/awscrt#0.${rng.range(22, 27)}.${rng.range(0, 4)} ua/2.1 os/${os} md/arch#${arch} lang/python#${python} md/pyimpl#CPython cfg/retry-mode#standard md/installer#${os.startsWith('windows') ? 'msi' : 'exe'} md/prompt#off`;
}

const AMZN_KERNELS = ['5.10.228-219.884.amzn2.x86_64', '6.1.115-126.197.amzn2023.x86_64', '6.1.128-136.201.amzn2023.x86_64', '6.1.141-155.222.amzn2023.x86_64'];

function boto3(rng: Rng): string {
  const v = `1.${rng.range(35, 40)}.${rng.range(0, 60)}`;
  const botocore = v;
  return `Boto3/${v} md/Botocore#${botocore} ua/2.0 os/linux#${pick(rng, AMZN_KERNELS)} md/arch#x86_64 lang/python#3.${pick(rng, ['11', '12', '13'])}.${rng.range(1, 9)} md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${botocore}`;
}

function go(rng: Rng): string {
  return `aws-sdk-go-v2/1.${rng.range(32, 38)}.${rng.range(0, 12)} ua/2.1 os/linux lang/go#1.${rng.range(23, 25)}.${rng.range(0, 8)} md/GOOS#linux md/GOARCH#amd64`;
}

function java(rng: Rng): string {
  const jdk = pick(rng, ['17.0.13+11-LTS', '17.0.15+6-LTS', '21.0.5+11-LTS', '21.0.7+6-LTS']);
  const plain = jdk.split('+')[0];
  return `aws-sdk-java/2.${rng.range(29, 33)}.${rng.range(0, 40)} Linux/${pick(rng, AMZN_KERNELS)} OpenJDK_64-Bit_Server_VM/${jdk} Java/${plain} vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy`;
}

function js(rng: Rng): string {
  return `aws-sdk-js/3.${rng.range(700, 890)}.0 ua/2.1 os/linux#${pick(rng, AMZN_KERNELS)} lang/js md/nodejs#${pick(rng, ['20.18.1', '20.19.2', '22.12.0', '22.16.0'])} exec-env/AWS_Lambda_nodejs${pick(rng, ['20', '22'])}.x`;
}

function terraform(rng: Rng): string {
  const sdk = `1.${rng.range(32, 38)}.${rng.range(0, 12)}`;
  return `APN/1.0 HashiCorp/1.0 Terraform/1.${rng.range(9, 13)}.${rng.range(0, 6)} (+https://www.terraform.io) terraform-provider-aws/${rng.range(5, 6)}.${rng.range(70, 99)}.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/${sdk} ua/2.1 os/linux lang/go#1.${rng.range(23, 24)}.${rng.range(0, 8)} md/GOOS#linux md/GOARCH#amd64`;
}

export const USER_AGENT_BUILDERS: Readonly<Record<ClientKind, (rng: Rng) => string>> = {
  console: browser,
  cli,
  boto3,
  go,
  java,
  js,
  terraform,
};

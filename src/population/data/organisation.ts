/** Departments and titles people get from their role, and the organisation's office and VPN address ranges. */
import type { HumanRole } from '../kinds.js';

/** Per role: departments and titles to pick from (by the person's own stream). */
export const ROLE_JOBS: Readonly<Record<HumanRole, { departments: readonly string[]; titles: readonly string[] }>> = {
  admin: { departments: ['Platform Engineering', 'IT'], titles: ['Cloud Platform Engineer', 'Site Reliability Engineer', 'DevOps Engineer', 'Systems Administrator', 'IT Administrator'] },
  developer: { departments: ['Engineering', 'Data'], titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Software Engineer', 'Data Engineer', 'Machine Learning Engineer'] },
  readonly: { departments: ['Sales', 'Marketing', 'Finance', 'Customer Support', 'Product'], titles: ['Account Executive', 'Marketing Manager', 'Financial Analyst', 'Support Engineer', 'Product Manager', 'Business Analyst'] },
  auditor: { departments: ['Security', 'Compliance'], titles: ['Security Analyst', 'Security Engineer', 'Compliance Analyst', 'GRC Manager', 'Internal Auditor'] },
};

/** Workstation operating systems people use, by what their browser's user agent says. */
export const WORKSTATION_OS: readonly (readonly [RegExp, string])[] = [
  [/Windows NT 10/, 'Windows 11'],
  [/Mac OS X/, 'macOS 15'],
  [/Linux/, 'Ubuntu 24.04'],
];

/** Workstation addresses: the office LAN (10.<office>.<floor>.x) most days, the VPN pool (10.200.x.x) from home. */
export const OFFICE_NETWORK = '10.{office}.{subnet}.{host}';
export const VPN_NETWORK = '10.200.{subnet}.{host}';

/** Server roles in the organisation's CMDB: hostname prefix, operating systems, and how many per environment. */
export const SERVER_ROLES: readonly { role: string; os: readonly string[]; perEnv: number; critical: boolean; windows?: boolean }[] = [
  { role: 'web', os: ['Ubuntu 22.04', 'Amazon Linux 2023'], perEnv: 3, critical: false },
  { role: 'app', os: ['Ubuntu 22.04', 'Amazon Linux 2023', 'RHEL 9'], perEnv: 4, critical: true },
  { role: 'api', os: ['Ubuntu 24.04', 'Amazon Linux 2023'], perEnv: 3, critical: true },
  { role: 'db', os: ['Ubuntu 22.04', 'RHEL 9'], perEnv: 2, critical: true },
  { role: 'cache', os: ['Amazon Linux 2023'], perEnv: 1, critical: false },
  { role: 'queue', os: ['Ubuntu 22.04'], perEnv: 1, critical: false },
  { role: 'bastion', os: ['Amazon Linux 2023'], perEnv: 1, critical: true },
  { role: 'build', os: ['Ubuntu 24.04'], perEnv: 1, critical: false },
  { role: 'monitor', os: ['Ubuntu 22.04'], perEnv: 1, critical: false },
  { role: 'dc', os: ['Windows Server 2022'], perEnv: 1, critical: true, windows: true },
  { role: 'file', os: ['Windows Server 2019', 'Windows Server 2022'], perEnv: 1, critical: false, windows: true },
];

/** Environments and their share of each role's servers (prod has the full count, the others fewer). */
export const ENVIRONMENTS: readonly { name: string; scale: number; subnet: number }[] = [
  { name: 'prod', scale: 1, subnet: 100 },
  { name: 'staging', scale: 0.5, subnet: 110 },
  { name: 'dev', scale: 0.5, subnet: 120 },
];

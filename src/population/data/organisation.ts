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

/**
 * The Windows programs attack chains run, with the version resources Sysmon reports for them (company, description,
 * product, original file name). Hashes are illustrative, derived from the image path, as the sysmon pack's own are.
 */
import { createHash } from 'node:crypto';

export interface WindowsTool {
  readonly image: string;
  readonly company: string;
  readonly description: string;
  readonly product: string;
  readonly fileVersion: string;
  readonly original: string;
  readonly integrity: 'Low' | 'Medium' | 'High' | 'System';
}

const MS = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';
const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\';

export const TOOLS = {
  outlook: { image: `${OFFICE}OUTLOOK.EXE`, company: MS, description: 'Microsoft Outlook', product: 'Microsoft Outlook', fileVersion: '16.0.17928.20114', original: 'Outlook.exe', integrity: 'Medium' },
  word: { image: `${OFFICE}WINWORD.EXE`, company: MS, description: 'Microsoft Word', product: 'Microsoft Office', fileVersion: '16.0.17928.20114', original: 'WinWord.exe', integrity: 'Medium' },
  powershell: { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', company: MS, description: 'Windows PowerShell', product: WINDOWS, fileVersion: '10.0.22621.3672 (WinBuild.160101.0800)', original: 'PowerShell.EXE', integrity: 'Medium' },
  rundll32: { image: 'C:\\Windows\\System32\\rundll32.exe', company: MS, description: 'Windows host process (Rundll32)', product: WINDOWS, fileVersion: '10.0.22621.1 (WinBuild.160101.0800)', original: 'RUNDLL32.EXE', integrity: 'High' },
  psexesvc: { image: 'C:\\Windows\\PSEXESVC.exe', company: 'Sysinternals - www.sysinternals.com', description: 'PsExec Service', product: 'Sysinternals PsExec', fileVersion: '2.43', original: 'psexesvc.exe', integrity: 'System' },
  vssadmin: { image: 'C:\\Windows\\System32\\vssadmin.exe', company: MS, description: 'Command Line Interface for Microsoft® Volume Shadow Copy Service ', product: WINDOWS, fileVersion: '10.0.20348.1 (WinBuild.160101.0800)', original: 'VSSADMIN.EXE', integrity: 'System' },
} as const satisfies Record<string, WindowsTool>;

function digest(kind: 'sha1' | 'sha256' | 'md5', text: string): string {
  return createHash(kind).update(text).digest('hex').toUpperCase();
}

/** A sysmon attack step's values for a process: the tool, its command line and arguments, its parent's. */
export function processValues(tool: WindowsTool | { image: string; description?: string }, args: readonly string[], parent: WindowsTool, ids: { self: number; parent: number | 'services' }): Record<string, string> {
  const t: WindowsTool = 'company' in tool ? (tool as WindowsTool) : { image: tool.image, company: '-', description: '-', product: '-', fileVersion: '-', original: '-', integrity: 'System' };
  const name = t.image.slice(t.image.lastIndexOf('\\') + 1);
  const quote = (a: string) => (/\s/.test(a) ? `"${a}"` : a);
  return {
    atk_image: t.image,
    atk_name: name,
    atk_cmd: [quote(t.image), ...args].join(' '),
    'atk_args|raw': JSON.stringify([t.image, ...args]),
    atk_args_count: String(args.length + 1),
    atk_company: t.company,
    atk_description: t.description,
    atk_product: t.product,
    atk_file_version: t.fileVersion,
    atk_original: t.original,
    atk_integrity: t.integrity,
    atk_sha1: digest('sha1', t.image),
    atk_sha256: digest('sha256', t.image),
    atk_md5: digest('md5', t.image),
    atk_parent_image: parent.image,
    atk_parent_name: parent.image.slice(parent.image.lastIndexOf('\\') + 1),
    atk_guid: `{{guid.${ids.self}}}`,
    atk_pid: `{{pid.${ids.self}}}`,
    // services.exe is the host's own (the pack's per-host values); the attack's processes are the instance's.
    atk_parent_guid: ids.parent === 'services' ? '{{ pack:services_guid }}' : `{{guid.${ids.parent}}}`,
    atk_parent_pid: ids.parent === 'services' ? '{{ pack:services_pid }}' : `{{pid.${ids.parent}}}`,
  };
}

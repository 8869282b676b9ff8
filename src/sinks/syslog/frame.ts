/**
 * Syslog message headers (RFC 5424 and RFC 3164) and TCP framing (RFC 6587), written around the record bytes.
 */
import type { SyslogOutputConfig } from './config.js';
import { FACILITIES, SEVERITIES } from './config.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** FACILITIES lists the names in RFC 5424's code order (13 = log audit, 14 = log alert, 15 = clock daemon). */
function facilityCode(name: (typeof FACILITIES)[number]): number {
  return FACILITIES.indexOf(name);
}

export interface SyslogHeader {
  /** The header for a record at `timeMs`, ready to be followed by the record. */
  (timeMs: number): string;
}

export function headerWriter(config: SyslogOutputConfig, hostname: string, appName: string): SyslogHeader {
  const pri = `<${facilityCode(config.facility) * 8 + SEVERITIES.indexOf(config.severity)}>`;
  if (config.format === 'rfc5424') {
    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    const tail = ` ${hostname} ${appName} ${process.pid} ${config.msgid ?? '-'} - `;
    return (timeMs) => `${pri}1 ${new Date(timeMs).toISOString()}${tail}`;
  }
  // <PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG (day padded with a space, local time by convention; UTC here)
  const tail = ` ${hostname} ${appName}: `;
  return (timeMs) => {
    const d = new Date(timeMs);
    const day = String(d.getUTCDate()).padStart(2, ' ');
    const time = d.toISOString().slice(11, 19);
    return `${pri}${MONTHS[d.getUTCMonth()]} ${day} ${time}${tail}`;
  };
}

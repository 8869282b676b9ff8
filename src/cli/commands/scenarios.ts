/** `seclog scenarios`: the built-in attack scenarios, with their ATT&CK techniques and the sources they write. */
import { Command } from 'commander';
import { SCENARIOS } from '../../scenarios/library/index.js';
import { scenarioSources, scenarioTechniques } from '../../scenarios/plan.js';

export function scenariosCommand(): Command {
  return new Command('scenarios')
    .description('list the attack scenarios [scenarios] can run: name, ATT&CK techniques, sources, title')
    .option('--json', 'one JSON object per scenario (name, title, techniques, tactics, sources, steps, origin)')
    .action((flags: { json?: boolean }) => {
      for (const s of SCENARIOS) {
        const techniques = scenarioTechniques(s);
        const sources = scenarioSources(s);
        if (flags.json) {
          const tactics = [...new Set(s.steps.map((st) => st.tactic))];
          process.stdout.write(`${JSON.stringify({ name: s.name, title: s.title, techniques, tactics, sources, steps: s.steps.map((st) => st.name), origin: s.origin })}\n`);
        } else {
          process.stdout.write(`${s.name.padEnd(58)} ${techniques.join(',').padEnd(30)} ${sources.join(',').padEnd(36)} ${s.title}\n`);
        }
      }
    });
}

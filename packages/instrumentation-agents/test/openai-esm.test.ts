// The seed workflow through the SDK's ES module build.
import type { AgentsCoreModule } from './support/openai';
import { describeSeedWorkflow } from './support/openai-seed-suite';

describeSeedWorkflow('imported (ESM), 0.20', (h) => h.import<AgentsCoreModule>('@openai/agents-core'));

// The seed workflow on the OpenAI Agents SDK, required as CommonJS.
import type { AgentsCoreModule } from './support/openai';
import { describeSeedWorkflow } from './support/openai-seed-suite';

describeSeedWorkflow('required, 0.20', async (h) => h.require<AgentsCoreModule>('@openai/agents-core'));

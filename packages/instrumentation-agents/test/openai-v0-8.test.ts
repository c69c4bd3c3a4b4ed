// The seed workflow on the oldest release supported, 0.8 (installed as @openai/agents-core-v0-8).
import type { AgentsCoreModule } from './support/openai';
import { describeSeedWorkflow } from './support/openai-seed-suite';

describeSeedWorkflow('required, 0.8', async (h) => h.require<AgentsCoreModule>('@openai/agents-core-v0-8'));

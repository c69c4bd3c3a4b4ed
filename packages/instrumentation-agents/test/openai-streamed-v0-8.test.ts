// Streamed runs on the oldest release supported, 0.8 (installed as @openai/agents-core-v0-8).
import type { AgentsCoreModule } from './support/openai';
import { describeStreamedWorkflow } from './support/openai-stream-suite';

describeStreamedWorkflow('required, 0.8', async (h) => h.require<AgentsCoreModule>('@openai/agents-core-v0-8'));

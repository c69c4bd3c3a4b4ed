// OpenAI's chat-completions model, both SDK packages required as CommonJS.
import { createRequire } from 'node:module';
import { describeChatCompletions, type AgentsOpenAiModule } from './support/chat-completions-suite';
import type { AgentsCoreModule } from './support/openai';

const require = createRequire(import.meta.url);

describeChatCompletions('required', async (h) => [h.require<AgentsCoreModule>('@openai/agents-core'), require('@openai/agents-openai') as AgentsOpenAiModule]);

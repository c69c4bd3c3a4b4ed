import { describeInstrumentationContract } from '@dyntel/test-support';
import { COCKATIEL_PACKAGES, OPOSSUM_PACKAGES } from '../support/harness';
import { cockatielAdapter } from './cockatiel.adapter';
import { opossumAdapter } from './opossum.adapter';

// Every installed major of both libraries passes the shared instrumentation contract.
for (const pkg of OPOSSUM_PACKAGES) describeInstrumentationContract(opossumAdapter(pkg));
for (const pkg of COCKATIEL_PACKAGES) describeInstrumentationContract(cockatielAdapter(pkg));

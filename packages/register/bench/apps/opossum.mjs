// An application that loads one instrumented library (opossum), with an ESM import.
import 'opossum';

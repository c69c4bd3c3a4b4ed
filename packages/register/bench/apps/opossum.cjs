// An application that loads one instrumented library (opossum), with its CommonJS require().
require('opossum');

/** The binary of a Debian package for the tests: the cached one, else the name (found on the PATH). */
export function testBinary(debianPackage: string, binary: string): string;

/** Where the binary of a Debian package lands in the repository's cache, whether it is there or not. */
export function cachedBinary(debianPackage: string, binary: string): string;

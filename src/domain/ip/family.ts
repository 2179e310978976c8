export type IpFamily = 4 | 6;

/** Address width in bits for each family. */
export function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function familyName(family: IpFamily): 'IPv4' | 'IPv6' {
  return family === 4 ? 'IPv4' : 'IPv6';
}

/** The IPv4 entry of a dual-stack list: the one its single-stack field echoes. */
export function ipv4Entry(list: readonly string[] | undefined): string | undefined {
  return list?.find((text) => !text.includes(':'));
}

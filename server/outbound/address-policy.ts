import "server-only";
// Which addresses an outbound connection may reach (issue #12, finding 2). Classification is ipaddr.js's,
// not ours: only its "unicast" range (public addresses) passes by default; loopback, private, link-local,
// unique-local, CGNAT, multicast, unspecified, broadcast, reserved, IPv4-mapped and the other
// translation/tunnel forms (which embed an IPv4 address) are refused unless CONNECTOR_ALLOWED_HOSTS names
// the host, the address or a range that holds it.
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export type AddressPolicy = {
  /** Host names allowed whatever they resolve to (exact, lower case). */
  hosts: Set<string>;
  ranges: [Address, number][];
};

export function addressPolicy(entries: string[]): AddressPolicy {
  const policy: AddressPolicy = { hosts: new Set(), ranges: [] };
  for (const entry of entries) {
    const bare = entry.replace(/^\[(.*)\]$/, "$1");
    if (bare.includes("/")) {
      try {
        policy.ranges.push(ipaddr.parseCIDR(bare));
        continue;
      } catch {
        throw new Error(`CONNECTOR_ALLOWED_HOSTS: "${entry}" is not a valid CIDR range`);
      }
    }
    if (ipaddr.isValid(bare)) {
      const address = ipaddr.parse(bare);
      policy.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else {
      policy.hosts.add(bare.toLowerCase());
    }
  }
  return policy;
}

function inRange(address: Address, [base, bits]: [Address, number]): boolean {
  return address.kind() === base.kind() && address.match(base, bits);
}

/** Whether a connection to `ip` (resolved for `host`) is allowed by default rules or by the operator. */
export function isAllowedAddress(ip: string, host: string, policy: AddressPolicy): boolean {
  if (policy.hosts.has(host.toLowerCase().replace(/^\[(.*)\]$/, "$1"))) return true;
  let address: Address;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return false;
  }
  if (policy.ranges.some((range) => inRange(address, range))) return true;
  // An IPv4-mapped IPv6 address reaches the IPv4 host: allowed only if the operator allows that address.
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    const v4 = (address as ipaddr.IPv6).toIPv4Address();
    return policy.ranges.some((range) => inRange(v4, range));
  }
  return address.range() === "unicast";
}

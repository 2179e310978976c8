export { IpAddress } from './address.js';
export { Cidr } from './cidr.js';
export { bitsOf, familyName, hostBitsFor, type IpFamily } from './family.js';

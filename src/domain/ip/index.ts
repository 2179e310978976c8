export { IpAddress } from './address.js';
export { Cidr } from './cidr.js';
export { bitsOf, familyName, type IpFamily } from './family.js';

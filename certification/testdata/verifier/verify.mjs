// Verifies a Data Integrity proof of cryptosuite eddsa-jcs-2022 (W3C VC
// Data Integrity EdDSA Cryptosuites v1.0, section 3.3) on a credential read
// from standard input, with nothing from Sinergi: canonicalize (the RFC 8785
// implementation by its author), bs58 and Node's Ed25519. Prints "verified"
// and exits 0, or prints why not and exits 1.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalizeModule from 'canonicalize';
import bs58 from 'bs58';

const canonicalize = canonicalizeModule.default ?? canonicalizeModule;
const fail = (why) => { console.log(why); process.exit(1); };

const doc = JSON.parse(readFileSync(0, 'utf8'));
const { proof, ...unsecured } = doc;
if (!proof || proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== 'eddsa-jcs-2022') fail('no eddsa-jcs-2022 proof');
const { proofValue, ...options } = proof;
// The proof options carry the document's @context (section 3.3.1, step 4).
options['@context'] = doc['@context'];

// did:key of an Ed25519 key: z + base58btc(0xed 0x01 || key).
const vm = options.verificationMethod ?? '';
const did = vm.split('#')[0];
if (!did.startsWith('did:key:z')) fail('not a did:key');
const multikey = bs58.decode(did.slice('did:key:z'.length));
if (multikey.length !== 34 || multikey[0] !== 0xed || multikey[1] !== 0x01) fail('not an Ed25519 did:key');
const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(multikey.slice(2)).toString('base64url') }, format: 'jwk' });

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest();
const hashData = Buffer.concat([sha256(canonicalize(options)), sha256(canonicalize(unsecured))]);
if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) fail('proofValue is not base58btc');
const signature = bs58.decode(proofValue.slice(1));
if (!verify(null, hashData, key, signature)) fail('signature does not match');
console.log('verified');

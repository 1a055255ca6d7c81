/**
 * The subject key of a measurement: SHA-256 of the DICOM PatientID, so that growth can refuse to combine two subjects
 * without the record carrying the identifier itself. Plain SHA-256 of the UTF-8 PatientID (DICOM padding trimmed), so
 * anyone holding the PatientID can recompute and audit it (`printf %s "$ID" | sha256sum`). It is a pseudonym, not
 * anonymisation: a short or guessable PatientID can be found from its hash by trying candidates.
 */
import { encodeUtf8 } from '../dicom/charset.ts';
import { sha256Hex } from '../util/sha256.ts';

/** SHA-256 (lower-case hex) of the trimmed PatientID; null when there is none (absent or blank). */
export async function patientIdSha256(patientId: string | null | undefined): Promise<string | null> {
  const id = (patientId ?? '').replace(/^[\s\0]+|[\s\0]+$/g, '');
  if (id === '') return null;
  return sha256Hex(encodeUtf8(id));
}

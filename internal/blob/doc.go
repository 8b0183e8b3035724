// Package blob keeps uploaded files by the SHA-256 of their content.
//
// Naming a file by its hash makes every write idempotent: a retried upload,
// two authors submitting the same PDF, or a chair restoring an old revision
// all land on the object that is already there, so there is nothing to
// overwrite, nothing to lock, and a revision row that names a hash can never
// point at different bytes later. The database owns meaning (which
// submission, which revision); this package owns only bytes.
//
// # Layout
//
// A blob with hash h lives under the key
//
//	sha256/<h[0:2]>/<h[2:64]>
//
// so that no folder grows past 1/256 of the blobs. The filesystem store
// (FS) adds a tmp folder next to it on the same filesystem, so that moving a
// finished upload into place is a rename, never a copy:
//
//	root/sha256/ab/cdef…   committed blobs, read-only (0444)
//	root/tmp/…             uploads being written or checked; claims of the collector
//
// # Durability
//
// Put returns only after the data is fsynced, the file renamed into place and
// the folder that holds it fsynced, so an acknowledged upload survives a
// power cut. A crash before that leaves at worst a file in tmp, which
// FS.CleanTemp removes later; it never leaves a partial blob under sha256/.
//
// # Garbage collection
//
// Blobs are never deleted because a revision stopped naming them; Collect
// deletes those that no live row names and that are older than a grace
// period. The grace period is what makes the order "store the blob, then
// commit the row" safe: between the two the blob is unreferenced, but young.
// Putting content that is already stored refreshes the blob's modification
// time for the same reason, and GraceDeleter lets a store delete only if the
// blob is still old at the instant of deletion. FS does that by renaming the
// blob into tmp (an atomic claim), re-reading its time there, and putting it
// back if an upload touched it meanwhile; claims that a crash interrupts are
// put back by NewFS.
//
// # An S3-compatible object store
//
// The Store interface is shaped so an object store needs no rename and no
// lock:
//
//   - Put spools the body to a local temp file (or a multipart upload)
//     while hashing, refuses it past max, then issues PutObject on key
//     sha256/ab/cdef… with If-None-Match: * (PUT-if-absent) and
//     x-amz-checksum-sha256, so the server verifies the bytes. An object
//     becomes visible only once complete, which is what rename gives the
//     filesystem. A 412 Precondition Failed means the blob exists: Put
//     succeeds, after refreshing LastModified (CopyObject onto itself with
//     MetadataDirective REPLACE) so the collector's grace period restarts.
//   - Open is GetObject (ranged GETs give Seek), Exists is HeadObject, and
//     a missing key maps to ErrNotFound.
//   - List is ListObjectsV2 with prefix sha256/, giving size and
//     LastModified for the collector.
//   - GraceDeleter.DeleteIfOlder is DeleteObject with If-Match on the
//     ETag and LastModified seen by HeadObject, where the provider supports
//     conditional deletes; where it does not, plain Delete leaves a window
//     as wide as one HeadObject round trip, which a grace period of hours
//     covers.
//
// Staging for the PDF checker stays on local disk in either case: the
// checker needs a file path, and only the committed result goes to the
// object store.
package blob

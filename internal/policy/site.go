package policy

// The venue's public site is the venue file's text (the call, the
// speakers' bios) and what chairs add beside it: the speakers' photos. It
// is public as a whole, so its rules are about the speaker and the writer,
// not about the reader's role in a paper.

// CanSeeSpeakerPhoto says whether anyone, signed in or not, may see a
// speaker's photo: as long as the venue file lists the speaker, as it
// does their bio. A photo left behind by a speaker the file dropped is
// shown to no one; its chairs may still remove it.
func CanSeeSpeakerPhoto(listed bool) bool {
	return listed
}

// CanChangeSpeakerPhoto says whether a person may upload, replace or
// remove a speaker's photo: the venue's chairs, and no one else, not an
// administrator who is not a chair of it.
func CanChangeSpeakerPhoto(chair bool) bool {
	return chair
}

// The Notes helper: a login item (launchd agent) that stores notes for the
// sandboxed app and backs them up on a background activity.
#ifndef NOTES_HELPER_H
#define NOTES_HELPER_H

// main of NotesHelper: `NotesHelper --store <dir>`. Never returns.
int notes_helper_main(int argc, char **argv);

#endif  // NOTES_HELPER_H

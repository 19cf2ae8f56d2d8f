// The Notes renderer: an XPC service bundled in the app (Contents/XPCServices).
#ifndef NOTES_RENDERER_H
#define NOTES_RENDERER_H

// main of NotesRenderer.xpc. Never returns (xpc_main).
int notes_renderer_main(int argc, char **argv);

#endif  // NOTES_RENDERER_H

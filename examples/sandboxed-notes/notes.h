// The names the Notes app, its helper and its renderer share. They must match
// the plists: the helper's Mach name is in its launchd plist's MachServices
// and starts with the app group (the App Sandbox allows the app to look up
// only such names), the renderer's name is its Info.plist's CFBundleIdentifier.
#ifndef NOTES_H
#define NOTES_H

#define NOTES_APP_GROUP "ABCDE12345.com.example.notes"
#define NOTES_HELPER_SERVICE NOTES_APP_GROUP ".helper"
#define NOTES_RENDERER_SERVICE "com.example.notes.renderer"
#define NOTES_BACKUP_ACTIVITY "com.example.notes.helper.backup"
// Another vendor's daemon the app would like to talk to.
#define NOTES_SYNC_SERVICE "com.example.sync.daemon"

#endif  // NOTES_H

#!/usr/bin/env node
// cloudformation-cli-typescript-plugin 1.0.2 (the newest on PyPI) writes model transforms for
// class-transformer 0.3.x, whose @Transform callback took (value, obj). The library this project
// runs on uses class-transformer 0.5.1, which passes ONE object ({ value, key, obj, type }); with the
// generated signature every property deserializes to that params object instead of its value.
// This rewrites exactly that callback signature and fails loudly if the plugin output changes shape.
// The template is also written for a non-strict compiler (null identifiers, uninitialised
// ['constructor'] members); the project compiles strict, so the file is marked @ts-nocheck: its
// exported types are still checked wherever the handlers use them.
'use strict';
const fs = require('fs');

const path = process.argv[2] || 'src/models.ts';
const LEGACY_SIGNATURE = '(value: any, obj: any) =>';
const CURRENT_SIGNATURE = '({ value, obj }: { value: any; obj: any }) =>';

const source = fs.readFileSync(path, 'utf8');
const legacyCount = source.split(LEGACY_SIGNATURE).length - 1;
if (legacyCount === 0 && !source.includes(CURRENT_SIGNATURE)) {
    console.error(`${path}: no @Transform callback found; the plugin's model template changed, review this fix`);
    process.exit(1);
}
const NOCHECK = '// @ts-nocheck\n';
const fixed = source.split(LEGACY_SIGNATURE).join(CURRENT_SIGNATURE);
fs.writeFileSync(path, fixed.startsWith(NOCHECK) ? fixed : NOCHECK + fixed);
console.log(`${path}: ${legacyCount} @Transform callbacks rewritten for class-transformer 0.5.1`);

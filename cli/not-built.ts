// A script whose capability is not built yet says so in one line and exits non-zero: no fake output.

const [command, issue] = process.argv.slice(2);
console.error(`tributary: \`npm run ${command}\` is not built yet (it arrives with ${issue}); today: npm start, npm test, npm run bench`);
process.exit(1);

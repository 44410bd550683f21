// The CLI loads /etc/fail2ban's filters by default where fail2ban is installed: tests that
// compare exact output must not depend on that, so they run without (tests of the packs pass --fail2ban DIR).
process.env.LOGSLEUTH_FAIL2BAN = 'off';

package weburl

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// urlTests is a subset of web-platform-tests url/resources/urltestdata.json
// (https://github.com/web-platform-tests/wpt, commit 04f8022e43ae) and of the
// example tables of the URL standard (https://url.spec.whatwg.org/, review
// draft 2026-02), kept in the same shape: input, base, expected href (""
// means the parser fails), and expected origin ("" means the source gives
// none). A base of "" means no base.
//
// What was ported: special-scheme absolute URLs, relative resolution against
// special and non-special bases, credentials, ports, IPv4/IPv6/IDNA hosts,
// forbidden host code points, percent-encoding of each component, tab and
// newline removal, and file URLs with Windows drive letters.
//
// What was not ported, and why:
//   - Cases with lone UTF-16 surrogates (\uD800): a Go string cannot hold
//     them; invalid UTF-8 bytes are read as U+FFFD instead, tested in
//     TestParseInvalidUTF8.
//   - Cases that depend on a non-UTF-8 document encoding: fetch parses with
//     UTF-8 only.
//   - setters_tests.json: the URL API's setters (state override) are not
//     implemented; fetch never mutates URLs.
//   - toascii.json and IdnaTestV2.json: host canonicalization lives in the
//     origin package and is tested there.
//   - Cases from the parts of urltestdata.json not read for this port
//     (roughly the second half), and cases whose expectations changed after
//     that commit: the opaque-path space rule and "^" in the path percent-
//     encode set follow the 2026-02 standard (see TestSpecChanges).
var urlTests = []struct {
	in, base, href, origin string
}{
	// Based on WebKit's segments.js.
	{"http://example\t.\norg", "http://example.org/foo/bar", "http://example.org/", "http://example.org"},
	{"http://user:pass@foo:21/bar;par?b#c", "http://example.org/foo/bar", "http://user:pass@foo:21/bar;par?b#c", "http://foo:21"},
	{"https://test:@test", "about:blank", "https://test@test/", "https://test"},
	{"https://:@test", "about:blank", "https://test/", "https://test"},
	{"non-special://test:@test/x", "about:blank", "non-special://test@test/x", "null"},
	{"non-special://:@test/x", "about:blank", "non-special://test/x", "null"},
	{"http:foo.com", "http://example.org/foo/bar", "http://example.org/foo/foo.com", "http://example.org"},
	{"\t   :foo.com   \n", "http://example.org/foo/bar", "http://example.org/foo/:foo.com", "http://example.org"},
	{" foo.com  ", "http://example.org/foo/bar", "http://example.org/foo/foo.com", "http://example.org"},
	{"a:\t foo.com", "http://example.org/foo/bar", "a: foo.com", "null"},
	{"http://f:21/ b ? d # e ", "http://example.org/foo/bar", "http://f:21/%20b%20?%20d%20#%20e", "http://f:21"},
	{"lolscheme:x x#x x", "about:blank", "lolscheme:x x#x%20x", ""},
	{"http://f:/c", "http://example.org/foo/bar", "http://f/c", "http://f"},
	{"http://f:0/c", "http://example.org/foo/bar", "http://f:0/c", "http://f:0"},
	{"http://f:00000000000000/c", "http://example.org/foo/bar", "http://f:0/c", "http://f:0"},
	{"http://f:00000000000000000000080/c", "http://example.org/foo/bar", "http://f/c", "http://f"},
	{"http://f:b/c", "http://example.org/foo/bar", "", ""},
	{"http://f: /c", "http://example.org/foo/bar", "", ""},
	{"http://f:\n/c", "http://example.org/foo/bar", "http://f/c", "http://f"},
	{"http://f:fifty-two/c", "http://example.org/foo/bar", "", ""},
	{"http://f:999999/c", "http://example.org/foo/bar", "", ""},
	{"non-special://f:999999/c", "http://example.org/foo/bar", "", ""},
	{"http://f: 21 / b ? d # e ", "http://example.org/foo/bar", "", ""},
	{"", "http://example.org/foo/bar", "http://example.org/foo/bar", "http://example.org"},
	{"  \t", "http://example.org/foo/bar", "http://example.org/foo/bar", "http://example.org"},
	{":foo.com/", "http://example.org/foo/bar", "http://example.org/foo/:foo.com/", "http://example.org"},
	{":foo.com\\", "http://example.org/foo/bar", "http://example.org/foo/:foo.com/", "http://example.org"},
	{":", "http://example.org/foo/bar", "http://example.org/foo/:", "http://example.org"},
	{":a", "http://example.org/foo/bar", "http://example.org/foo/:a", "http://example.org"},
	{":/", "http://example.org/foo/bar", "http://example.org/foo/:/", "http://example.org"},
	{":\\", "http://example.org/foo/bar", "http://example.org/foo/:/", "http://example.org"},
	{":#", "http://example.org/foo/bar", "http://example.org/foo/:#", "http://example.org"},
	{"#", "http://example.org/foo/bar", "http://example.org/foo/bar#", "http://example.org"},
	{"#/", "http://example.org/foo/bar", "http://example.org/foo/bar#/", "http://example.org"},
	{"#\\", "http://example.org/foo/bar", "http://example.org/foo/bar#\\", "http://example.org"},
	{"#;?", "http://example.org/foo/bar", "http://example.org/foo/bar#;?", "http://example.org"},
	{"?", "http://example.org/foo/bar", "http://example.org/foo/bar?", "http://example.org"},
	{"/", "http://example.org/foo/bar", "http://example.org/", "http://example.org"},
	{":23", "http://example.org/foo/bar", "http://example.org/foo/:23", "http://example.org"},
	{"/:23", "http://example.org/foo/bar", "http://example.org/:23", "http://example.org"},
	{"\\x", "http://example.org/foo/bar", "http://example.org/x", "http://example.org"},
	{"\\\\x\\hello", "http://example.org/foo/bar", "http://x/hello", "http://x"},
	{"::", "http://example.org/foo/bar", "http://example.org/foo/::", "http://example.org"},
	{"::23", "http://example.org/foo/bar", "http://example.org/foo/::23", "http://example.org"},
	{"foo://", "http://example.org/foo/bar", "foo://", "null"},
	{"http://a:b@c:29/d", "http://example.org/foo/bar", "http://a:b@c:29/d", "http://c:29"},
	{"http::@c:29", "http://example.org/foo/bar", "http://example.org/foo/:@c:29", "http://example.org"},
	{"http://&a:foo(b]c@d:2/", "http://example.org/foo/bar", "http://&a:foo(b%5Dc@d:2/", "http://d:2"},
	{"http://::@c@d:2", "http://example.org/foo/bar", "http://:%3A%40c@d:2/", "http://d:2"},
	{"http://foo.com:b@d/", "http://example.org/foo/bar", "http://foo.com:b@d/", "http://d"},
	{"http://foo.com/\\@", "http://example.org/foo/bar", "http://foo.com//@", "http://foo.com"},
	{"http:\\\\foo.com\\", "http://example.org/foo/bar", "http://foo.com/", "http://foo.com"},
	{"http:\\\\a\\b:c\\d@foo.com\\", "http://example.org/foo/bar", "http://a/b:c/d@foo.com/", "http://a"},
	{"foo:/", "http://example.org/foo/bar", "foo:/", "null"},
	{"foo:/bar.com/", "http://example.org/foo/bar", "foo:/bar.com/", "null"},
	{"foo://///////", "http://example.org/foo/bar", "foo://///////", "null"},
	{"foo://///////bar.com/", "http://example.org/foo/bar", "foo://///////bar.com/", "null"},
	{"foo:////://///", "http://example.org/foo/bar", "foo:////://///", "null"},
	{"c:/foo", "http://example.org/foo/bar", "c:/foo", "null"},
	{"//foo/bar", "http://example.org/foo/bar", "http://foo/bar", "http://foo"},
	{"http://foo/path;a??e#f#g", "http://example.org/foo/bar", "http://foo/path;a??e#f#g", "http://foo"},
	{"http://foo/abcd?efgh?ijkl", "http://example.org/foo/bar", "http://foo/abcd?efgh?ijkl", "http://foo"},
	{"http://foo/abcd#foo?bar", "http://example.org/foo/bar", "http://foo/abcd#foo?bar", "http://foo"},
	{"[61:24:74]:98", "http://example.org/foo/bar", "http://example.org/foo/[61:24:74]:98", "http://example.org"},
	{"http:[61:27]/:foo", "http://example.org/foo/bar", "http://example.org/foo/[61:27]/:foo", "http://example.org"},
	{"http://[1::2]:3:4", "http://example.org/foo/bar", "", ""},
	{"http://2001::1", "http://example.org/foo/bar", "", ""},
	{"http://2001::1]", "http://example.org/foo/bar", "", ""},
	{"http://2001::1]:80", "http://example.org/foo/bar", "", ""},
	{"http://[2001::1]", "http://example.org/foo/bar", "http://[2001::1]/", "http://[2001::1]"},
	{"http://[::127.0.0.1]", "http://example.org/foo/bar", "http://[::7f00:1]/", "http://[::7f00:1]"},
	{"http://[0:0:0:0:0:0:13.1.68.3]", "http://example.org/foo/bar", "http://[::d01:4403]/", "http://[::d01:4403]"},
	{"http://[2001::1]:80", "http://example.org/foo/bar", "http://[2001::1]/", "http://[2001::1]"},
	{"http:/example.com/", "http://example.org/foo/bar", "http://example.org/example.com/", "http://example.org"},
	{"ftp:/example.com/", "http://example.org/foo/bar", "ftp://example.com/", "ftp://example.com"},
	{"https:/example.com/", "http://example.org/foo/bar", "https://example.com/", "https://example.com"},
	{"madeupscheme:/example.com/", "http://example.org/foo/bar", "madeupscheme:/example.com/", "null"},
	{"ftps:/example.com/", "http://example.org/foo/bar", "ftps:/example.com/", "null"},
	{"gopher:/example.com/", "http://example.org/foo/bar", "gopher:/example.com/", "null"},
	{"ws:/example.com/", "http://example.org/foo/bar", "ws://example.com/", "ws://example.com"},
	{"wss:/example.com/", "http://example.org/foo/bar", "wss://example.com/", "wss://example.com"},
	{"data:/example.com/", "http://example.org/foo/bar", "data:/example.com/", "null"},
	{"http:example.com/", "http://example.org/foo/bar", "http://example.org/foo/example.com/", "http://example.org"},
	{"ftp:example.com/", "http://example.org/foo/bar", "ftp://example.com/", "ftp://example.com"},
	{"https:example.com/", "http://example.org/foo/bar", "https://example.com/", "https://example.com"},
	{"madeupscheme:example.com/", "http://example.org/foo/bar", "madeupscheme:example.com/", "null"},
	{"ws:example.com/", "http://example.org/foo/bar", "ws://example.com/", "ws://example.com"},
	{"data:example.com/", "http://example.org/foo/bar", "data:example.com/", "null"},
	{"/a/b/c", "http://example.org/foo/bar", "http://example.org/a/b/c", "http://example.org"},
	{"/a/ /c", "http://example.org/foo/bar", "http://example.org/a/%20/c", "http://example.org"},
	{"/a%2fc", "http://example.org/foo/bar", "http://example.org/a%2fc", "http://example.org"},
	{"/a/%2f/c", "http://example.org/foo/bar", "http://example.org/a/%2f/c", "http://example.org"},
	{"#β", "http://example.org/foo/bar", "http://example.org/foo/bar#%CE%B2", "http://example.org"},
	{"data:text/html,test#test", "http://example.org/foo/bar", "data:text/html,test#test", "null"},
	{"tel:1234567890", "http://example.org/foo/bar", "tel:1234567890", "null"},
	{"ssh://example.com/foo/bar.git", "http://example.org/", "ssh://example.com/foo/bar.git", "null"},
	// Based on WebKit's path.js.
	{"http://example.com/././foo", "about:blank", "http://example.com/foo", "http://example.com"},
	// Userinfo.
	{"http:a:@www.example.com", "about:blank", "http://a@www.example.com/", "http://www.example.com"},
	{"http:/a:@www.example.com", "about:blank", "http://a@www.example.com/", "http://www.example.com"},
	{"http://a:@www.example.com", "about:blank", "http://a@www.example.com/", "http://www.example.com"},
	{"http://www.@pple.com", "about:blank", "http://www.@pple.com/", "http://pple.com"},
	{"http:@:www.example.com", "about:blank", "", ""},
	{"http:/@:www.example.com", "about:blank", "", ""},
	{"http://@:www.example.com", "about:blank", "", ""},
	{"http://:@www.example.com", "about:blank", "http://www.example.com/", "http://www.example.com"},
	// Others: relative paths.
	{"/", "http://www.example.com/test", "http://www.example.com/", "http://www.example.com"},
	{"/test.txt", "http://www.example.com/test", "http://www.example.com/test.txt", "http://www.example.com"},
	{".", "http://www.example.com/test", "http://www.example.com/", "http://www.example.com"},
	{"..", "http://www.example.com/test", "http://www.example.com/", "http://www.example.com"},
	{"test.txt", "http://www.example.com/test", "http://www.example.com/test.txt", "http://www.example.com"},
	{"./test.txt", "http://www.example.com/test", "http://www.example.com/test.txt", "http://www.example.com"},
	{"../test.txt", "http://www.example.com/test", "http://www.example.com/test.txt", "http://www.example.com"},
	{"../aaa/test.txt", "http://www.example.com/test", "http://www.example.com/aaa/test.txt", "http://www.example.com"},
	{"../../test.txt", "http://www.example.com/test", "http://www.example.com/test.txt", "http://www.example.com"},
	{"中/test.txt", "http://www.example.com/test", "http://www.example.com/%E4%B8%AD/test.txt", "http://www.example.com"},
	{"http://www.example2.com", "http://www.example.com/test", "http://www.example2.com/", "http://www.example2.com"},
	{"//www.example2.com", "http://www.example.com/test", "http://www.example2.com/", "http://www.example2.com"},
	// Based on WebKit's host.html.
	{"http://ExAmPlE.CoM", "http://other.com/", "http://example.com/", "http://example.com"},
	{"http://example example.com", "http://other.com/", "", ""},
	{"http://Goo%20 goo%7C|.com", "http://other.com/", "", ""},
	{"http://[]", "http://other.com/", "", ""},
	{"http://[:]", "http://other.com/", "", ""},
	{"http://GOO\u00a0\u3000goo.com", "http://other.com/", "", ""},
	{"http://GOO\u200b\u2060\ufeffgoo.com", "http://other.com/", "http://googoo.com/", "http://googoo.com"},
	{"\u0000\u001b\u0004\u0012 http://example.com/\u001f \u000d ", "about:blank", "http://example.com/", "http://example.com"},
	{"http://www.foo\u3002bar.com", "http://other.com/", "http://www.foo.bar.com/", "http://www.foo.bar.com"},
	{"http://\ufdd0zyx.com", "http://other.com/", "", ""},
	{"http://%ef%b7%90zyx.com", "http://other.com/", "", ""},
	{"https://\ufffd", "about:blank", "", ""},
	{"https://%EF%BF%BD", "about:blank", "", ""},
	{"https://x/\ufffd?\ufffd#\ufffd", "about:blank", "https://x/%EF%BF%BD?%EF%BF%BD#%EF%BF%BD", "https://x"},
	{"http://a.b.c.xn--pokxncvks", "about:blank", "", ""},
	{"http://10.0.0.xn--pokxncvks", "about:blank", "", ""},
	{"http://\uff27\uff4f.com", "http://other.com/", "http://go.com/", "http://go.com"},
	{"http://\uff05\uff14\uff11.com", "http://other.com/", "", ""},
	{"http://你好你好", "http://other.com/", "http://xn--6qqa088eba/", "http://xn--6qqa088eba"},
	{"https://faß.ExAmPlE/", "about:blank", "https://xn--fa-hia.example/", "https://xn--fa-hia.example"},
	{"sc://faß.ExAmPlE/", "about:blank", "sc://fa%C3%9F.ExAmPlE/", "null"},
	{"http://%zz%66%a.com", "http://other.com/", "", ""},
	{"http://%25", "http://other.com/", "", ""},
	{"http://hello%00", "http://other.com/", "", ""},
	{"http://%30%78%63%30%2e%30%32%35%30.01", "http://other.com/", "http://192.168.0.1/", "http://192.168.0.1"},
	{"http://192.168.0.257", "http://other.com/", "", ""},
	{"http://192.168.0.1 hello", "http://other.com/", "", ""},
	{"https://x x:12", "about:blank", "", ""},
	{"http://./", "about:blank", "http://./", "http://."},
	{"http://../", "about:blank", "http://../", "http://.."},
	{"http://[www.google.com]/", "about:blank", "", ""},
	{"http://[::1.2.3.]", "http://other.com/", "", ""},
	// Misc Unicode, fragments against any scheme, multiple "@".
	{"http://foo:💩@example.com/bar", "http://other.com/", "http://foo:%F0%9F%92%A9@example.com/bar", "http://example.com"},
	{"#", "test:test", "test:test#", "null"},
	{"#x", "data:,", "data:,#x", "null"},
	{"#x", "about:blank", "about:blank#x", "null"},
	{"#", "test:test?test", "test:test?test#", "null"},
	{"https://@test@test@example:800/", "http://doesnotmatter/", "https://%40test%40test@example:800/", "https://example:800"},
	{"https://@@@example", "http://doesnotmatter/", "https://%40%40@example/", "https://example"},
	{"http://`{}:`{}@h/`{}?`{}", "http://doesnotmatter/", "http://%60%7B%7D:%60%7B%7D@h/%60%7B%7D?`{}", "http://h"},
	{"http://host/?'", "about:blank", "http://host/?%27", "http://host"},
	{"notspecial://host/?'", "about:blank", "notspecial://host/?'", "null"},
	// Credentials in base.
	{"/some/path", "http://user@example.org/smth", "http://user@example.org/some/path", "http://example.org"},
	{"", "http://user:pass@example.org:21/smth", "http://user:pass@example.org:21/smth", "http://example.org:21"},
	{"/some/path", "http://user:pass@example.org:21/smth", "http://user:pass@example.org:21/some/path", "http://example.org:21"},
	// Relative URLs with unknown schemes (zcorpan).
	{"i", "sc:sd", "", ""},
	{"i", "sc:sd/sd", "", ""},
	{"i", "sc:/pa/pa", "sc:/pa/i", "null"},
	{"i", "sc://ho/pa", "sc://ho/i", "null"},
	{"i", "sc:///pa/pa", "sc:///pa/i", "null"},
	{"../i", "sc:sd", "", ""},
	{"../i", "sc:/pa/pa", "sc:/i", "null"},
	{"../i", "sc://ho/pa", "sc://ho/i", "null"},
	{"../i", "sc:///pa/pa", "sc:///i", "null"},
	{"/i", "sc:sd", "", ""},
	{"/i", "sc:/pa/pa", "sc:/i", "null"},
	{"/i", "sc://ho/pa", "sc://ho/i", "null"},
	{"?i", "sc:sd", "", ""},
	{"?i", "sc:/pa/pa", "sc:/pa/pa?i", "null"},
	{"?i", "sc://ho/pa", "sc://ho/pa?i", "null"},
	{"#i", "sc:sd", "sc:sd#i", "null"},
	{"#i", "sc:sd/sd", "sc:sd/sd#i", "null"},
	{"#i", "sc:/pa/pa", "sc:/pa/pa#i", "null"},
	{"#i", "sc://ho/pa", "sc://ho/pa#i", "null"},
	{"about:/../", "about:blank", "about:/", "null"},
	{"data:/../", "about:blank", "data:/", "null"},
	// Unknown schemes and their hosts.
	{"sc://ñ.test/", "about:blank", "sc://%C3%B1.test/", "null"},
	{"sc://%/", "about:blank", "sc://%/", ""},
	{"sc://@/", "about:blank", "", ""},
	{"sc://te@s:t@/", "about:blank", "", ""},
	{"sc://:/", "about:blank", "", ""},
	{"sc://:12/", "about:blank", "", ""},
	{"x", "sc://ñ", "sc://%C3%B1/x", "null"},
	{"sc:\\../", "about:blank", "sc:\\../", "null"},
	{"sc::a@example.net", "about:blank", "sc::a@example.net", "null"},
	{"wow:%NBD", "about:blank", "wow:%NBD", "null"},
	{"wow:%1G", "about:blank", "wow:%1G", "null"},
	{"wow:\uffff", "about:blank", "wow:%EF%BF%BF", "null"},
	// Forbidden host code points.
	{"sc://a\u0000b/", "about:blank", "", ""},
	{"sc://a b/", "about:blank", "", ""},
	{"sc://a<b", "about:blank", "", ""},
	{"sc://a>b", "about:blank", "", ""},
	{"sc://a[b/", "about:blank", "", ""},
	{"sc://a\\b/", "about:blank", "", ""},
	{"sc://a]b/", "about:blank", "", ""},
	{"sc://a^b", "about:blank", "", ""},
	{"sc://a|b/", "about:blank", "", ""},
	{"foo://ho\tst/", "about:blank", "foo://host/", ""},
	{"foo://ho\nst/", "about:blank", "foo://host/", ""},
	{"foo://ho\rst/", "about:blank", "foo://host/", ""},
	// Forbidden domain code points.
	{"http://a\u0001b/", "about:blank", "", ""},
	{"http://a\u001fb/", "about:blank", "", ""},
	{"http://a b/", "about:blank", "", ""},
	{"http://a%b/", "about:blank", "", ""},
	{"http://a<b", "about:blank", "", ""},
	{"http://a>b", "about:blank", "", ""},
	{"http://a[b/", "about:blank", "", ""},
	{"http://a]b/", "about:blank", "", ""},
	{"http://a^b", "about:blank", "", ""},
	{"http://a|b/", "about:blank", "", ""},
	{"http://a\u007fb/", "about:blank", "", ""},
	{"http://ho\tst/", "about:blank", "http://host/", ""},
	{"http://ho%00st/", "about:blank", "", ""},
	{"http://ho%09st/", "about:blank", "", ""},
	{"http://ho%20st/", "about:blank", "", ""},
	{"http://ho%23st/", "about:blank", "", ""},
	{"http://ho%25st/", "about:blank", "", ""},
	{"http://ho%2Fst/", "about:blank", "", ""},
	{"http://ho%3Ast/", "about:blank", "", ""},
	{"http://ho%40st/", "about:blank", "", ""},
	{"http://ho%5Cst/", "about:blank", "", ""},
	{"http://ho%7Fst/", "about:blank", "", ""},
	{"http://!\"$&'()*+,-.;=_`{}~/", "about:blank", "http://!\"$&'()*+,-.;=_`{}~/", "http://!\"$&'()*+,-.;=_`{}~"},
	{"sc://\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F!\"$%&'()*+,-.;=_`{}~/", "about:blank",
		"sc://%01%02%03%04%05%06%07%08%0B%0C%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%7F!\"$%&'()*+,-.;=_`{}~/", "null"},
	// Hosts and percent-encoding.
	{"ftp://example.com%80/", "about:blank", "", ""},
	{"ftp://example.com%A0/", "about:blank", "", ""},
	{"https://example.com%80/", "about:blank", "", ""},
	{"ftp://%e2%98%83", "about:blank", "ftp://xn--n3h/", "ftp://xn--n3h"},
	{"https://%e2%98%83", "about:blank", "https://xn--n3h/", "https://xn--n3h"},
	// jsdom/whatwg-url coverage tests.
	{"http://127.0.0.1:10100/relative_import.html", "about:blank", "http://127.0.0.1:10100/relative_import.html", "http://127.0.0.1:10100"},
	{"http://facebook.com/?foo=%7B%22abc%22", "about:blank", "http://facebook.com/?foo=%7B%22abc%22", "http://facebook.com"},
	{"https://localhost:3000/jqueryui@1.2.3", "about:blank", "https://localhost:3000/jqueryui@1.2.3", "https://localhost:3000"},
	// Tab, LF and CR anywhere.
	{"h\tt\nt\rp://h\to\ns\rt:9\t0\n0\r0/p\ta\nt\rh?q\tu\ne\rry#f\tr\na\rg", "about:blank", "http://host:9000/path?query#frag", "http://host:9000"},
	{"?a=b&c=d", "http://example.org/foo/bar", "http://example.org/foo/bar?a=b&c=d", "http://example.org"},
	{"??a=b&c=d", "http://example.org/foo/bar", "http://example.org/foo/bar??a=b&c=d", "http://example.org"},
	// Scheme only.
	{"http:", "http://example.org/foo/bar", "http://example.org/foo/bar", "http://example.org"},
	{"http:", "https://example.org/foo/bar", "", ""},
	{"sc:", "https://example.org/foo/bar", "sc:", "null"},
	// Percent-encoding of fragments.
	{"http://foo.bar/baz?qux#foo\bbar", "about:blank", "http://foo.bar/baz?qux#foo%08bar", "http://foo.bar"},
	{"http://foo.bar/baz?qux#foo\"bar", "about:blank", "http://foo.bar/baz?qux#foo%22bar", "http://foo.bar"},
	{"http://foo.bar/baz?qux#foo<bar", "about:blank", "http://foo.bar/baz?qux#foo%3Cbar", "http://foo.bar"},
	{"http://foo.bar/baz?qux#foo>bar", "about:blank", "http://foo.bar/baz?qux#foo%3Ebar", "http://foo.bar"},
	{"http://foo.bar/baz?qux#foo`bar", "about:blank", "http://foo.bar/baz?qux#foo%60bar", "http://foo.bar"},

	// URL standard, URL parsing example table
	// (https://url.spec.whatwg.org/#example-url-parsing).
	{"https:example.org", "", "https://example.org/", "https://example.org"},
	{"https://////example.com///", "", "https://example.com///", "https://example.com"},
	{"https://example.com/././foo", "", "https://example.com/foo", "https://example.com"},
	{"hello:world", "https://example.com/", "hello:world", "null"},
	{"https:example.org", "https://example.com/", "https://example.com/example.org", "https://example.com"},
	{"\\example\\..\\demo/.\\", "https://example.com/", "https://example.com/demo/", "https://example.com"},
	{"example", "https://example.com/demo", "https://example.com/example", "https://example.com"},
	{"file:///C|/demo", "", "file:///C:/demo", "null"},
	{"..", "file:///C:/demo", "file:///C:/", "null"},
	{"file://loc%61lhost/", "", "file:///", "null"},
	{"https://user:password@example.org/", "", "https://user:password@example.org/", "https://example.org"},
	{"https://example.org/foo bar", "", "https://example.org/foo%20bar", "https://example.org"},
	{"https://EXAMPLE.com/../x", "", "https://example.com/x", "https://example.com"},
	{"https://ex ample.org/", "", "", ""},
	{"example", "", "", ""},
	{"https://example.com:demo", "", "", ""},
	{"http://[www.example.com]/", "", "", ""},
	{"https://example.org//", "", "https://example.org//", "https://example.org"},
	{"https://example.com/[]?[]#[]", "", "https://example.com/[]?[]#[]", "https://example.com"},
	{"https://example/%?%#%", "", "https://example/%?%#%", "https://example"},
	{"https://example/%25?%25#%25", "", "https://example/%25?%25#%25", "https://example"},
	// URL standard, URL serializer note on "/.".
	{"web+demo:/.//not-a-host/", "", "web+demo:/.//not-a-host/", "null"},
	{"web+demo:/path/..//not-a-host/", "", "web+demo:/.//not-a-host/", "null"},
	// URL standard, blob origin example.
	{"blob:https://whatwg.org/d0360e2f-caee-469f-9a2f-87d5b0456f6f", "", "blob:https://whatwg.org/d0360e2f-caee-469f-9a2f-87d5b0456f6f", "https://whatwg.org"},
}

func TestURLStandardCases(t *testing.T) {
	for i, tt := range urlTests {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			var u *URL
			var err error
			if tt.base == "" {
				u, err = Parse(tt.in)
			} else {
				base, berr := Parse(tt.base)
				if berr != nil {
					t.Fatalf("base %q: %v", tt.base, berr)
				}
				u, err = base.Resolve(tt.in)
			}
			if tt.href == "" {
				if err == nil {
					t.Fatalf("parse %q against %q = %q; want failure", tt.in, tt.base, u)
				}
				if _, ok := err.(*ParseError); !ok {
					t.Errorf("error %v is %T, want *ParseError", err, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse %q against %q: %v", tt.in, tt.base, err)
			}
			if diff := cmp.Diff(tt.href, u.String()); diff != "" {
				t.Errorf("parse %q against %q: href mismatch (-want +got):\n%s", tt.in, tt.base, diff)
			}
			if tt.origin != "" {
				if diff := cmp.Diff(tt.origin, u.Origin().String()); diff != "" {
					t.Errorf("parse %q against %q: origin mismatch (-want +got):\n%s", tt.in, tt.base, diff)
				}
			}
			// The serializer's output parses to the same URL (URL
			// standard, "URL serializer" note).
			again, err := Parse(u.String())
			if err != nil || again.String() != u.String() {
				t.Errorf("reparse of %q = %v, %v", u, again, err)
			}
		})
	}
}

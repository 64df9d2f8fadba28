// Command cookieprobe serves a page whose script probes what a browser does
// with cookies and the headers it adds, for the facts in profile.Cookies and
// profile.Headers that the scenario format (version 1) cannot record yet.
// README.md says how to run it in each Debian browser and what they did.
package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

func main() {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/report" {
			fmt.Println("REPORT", r.Header.Get("User-Agent"), "::", r.URL.Query().Get("r"))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body>pending<script>
const api = 'http://a.test:8081'; const API3P = location.search.startsWith('?same') ? 'http://localhost:8081' : location.hostname == 'localhost' ? 'http://127.0.0.1:8081' : 'http://localhost:8081';
(async () => {
  let out = [];
  try { await fetch(api + '/set-blocked', {credentials: 'include'}); out.push('set:ok'); } catch (e) { out.push('set:' + e.name); }
  try { await fetch(api + '/set-omit', {credentials: 'omit'}); out.push('omit:ok'); } catch (e) { out.push('omit:' + e.name); }
  try { const r = await fetch(api + '/echo', {credentials: 'include'}); out.push('echo:' + await r.text()); } catch (e) { out.push('echo:' + e.name); }
  try { await fetch('http://localhost:8081/hdr-cors?x=1#f'); } catch (e) {}
  try { await fetch('http://localhost:8081/hdr-nocors', {mode: 'no-cors'}); } catch (e) {}
  try { await fetch('http://localhost:8081/hdr-put', {method: 'PUT', headers: {'X-Foo': '1'}}); } catch (e) {}
  try { await fetch('http://localhost:8081/hdr-post', {method: 'POST', mode: 'no-cors', referrerPolicy: 'no-referrer', body: 'x'}); } catch (e) {}
  try { const r = await fetch(API3P + '/echo3p', {credentials: 'include'}); out.push('pre3p:' + await r.text()); } catch (e) { out.push('pre3p:' + e.name); }
  try { await fetch(API3P + '/set3p', {credentials: 'include'}); out.push('set3p:ok'); } catch (e) { out.push('set3p:' + e.name); }
  try { const r = await fetch(API3P + '/echo3p', {credentials: 'include'}); out.push('echo3p:' + await r.text()); } catch (e) { out.push('echo3p:' + e.name); }
  document.body.textContent = out.join(' | ');
  await fetch('/report?r=' + encodeURIComponent(location.href + ' ' + out.join(' | ')));
  if (location.search == '?same&next') location.href = 'http://a.test:8080/';
})();
</script></body></html>`)
	})
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/hdr") {
			keys := []string{}
			for k := range r.Header {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Printf("HDR %s %s %s: %q\n", r.Method, r.URL.Path, k, r.Header[k])
			}
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "X-Foo")
			return
		}
		if strings.HasSuffix(r.URL.Path, "3p") {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			if r.URL.Path == "/set3p" {
				for _, c := range []string{"n=1; SameSite=None; Secure", "u=1", "l=1; SameSite=Lax", "ns=1; SameSite=None", "us=1; Secure"} {
					w.Header().Add("Set-Cookie", c+"; Path=/; Max-Age=3600")
				}
			}
			fmt.Fprintf(w, "cookie=[%s]", r.Header.Get("Cookie"))
			return
		}
		switch r.URL.Path {
		case "/set-blocked":
			w.Header().Add("Set-Cookie", "blocked=1; Path=/")
		case "/set-omit":
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Add("Set-Cookie", "omitted=1; Path=/")
		case "/echo":
			w.Header().Set("Access-Control-Allow-Origin", "http://a.test:8080")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			fmt.Fprintf(w, "cookie=[%s]", r.Header.Get("Cookie"))
		}
	})
	go http.ListenAndServe("127.0.0.1:8081", api)
	// A proxy for browsers that cannot map host names: dispatch on the
	// requested host's port.
	go http.ListenAndServe("127.0.0.1:8090", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Host, ":8081") {
			api.ServeHTTP(w, r)
			return
		}
		page.ServeHTTP(w, r)
	}))
	http.ListenAndServe("127.0.0.1:8080", page)
}

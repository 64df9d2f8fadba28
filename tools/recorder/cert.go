package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"time"
)

// testCertificate is a self-signed certificate for the scenarios' hosts,
// made in memory at start-up and never written to disk.
type testCertificate struct {
	TLS tls.Certificate
	// SPKIHash is the base64 SHA-256 of the certificate's
	// SubjectPublicKeyInfo, the form Chromium's
	// --ignore-certificate-errors-spki-list takes.
	SPKIHash string
}

// newTestCertificate makes a certificate valid for hosts (DNS names) now.
func newTestCertificate(hosts []string, now time.Time) (testCertificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return testCertificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return testCertificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "corsim recorder test certificate"},
		DNSNames:              hosts,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return testCertificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return testCertificate{}, err
	}
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return testCertificate{
		TLS:      tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		SPKIHash: base64.StdEncoding.EncodeToString(sum[:]),
	}, nil
}

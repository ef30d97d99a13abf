using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// The tenant's HTTPS certificate when <c>LocalTenant:Url</c> is https: self-signed, generated on first start and kept
/// beside the tenant's data (<c>localtenant-https.pfx</c>, private key, owner-only; <c>localtenant-https.pem</c>, the
/// certificate alone, for clients to trust: <c>NODE_EXTRA_CA_CERTS</c>, <c>curl --cacert</c>). It names
/// <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c> and the configured host, lives a year and is made again once it is
/// within a week of expiry or does not name the host. Nothing is installed in any trust store: the app trusts exactly
/// this certificate for its own calls to the embedded tenant.
/// </summary>
public static class DevelopmentCertificate
{
    public const string FileName = "localtenant-https.pfx";
    public const string PemFileName = "localtenant-https.pem";
    private const string SubjectName = "CN=LegacyLinking local tenant (development)";

    /// <summary>Where the certificate lives for a tenant whose SQLite file is <paramref name="dataPath"/>.</summary>
    public static string PemPathFor(string dataPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataPath))!, PemFileName);

    /// <summary>The certificate beside <paramref name="dataPath"/>, created (or renewed) when missing, expiring or not for <paramref name="host"/>.</summary>
    public static X509Certificate2 LoadOrCreate(string dataPath, string host)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataPath))!;
        var pfx = Path.Combine(directory, FileName);
        // One process may hold both the app and the tenant: they read and write the same files in turn.
        lock (Gate)
        {
            if (File.Exists(pfx))
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(pfx, password: null, X509KeyStorageFlags.Exportable);
                if (existing.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(7) && Names(existing, host))
                {
                    WritePem(directory, existing);
                    return existing;
                }
                existing.Dispose();
            }

            Directory.CreateDirectory(directory);
            var created = Create(host);
            File.WriteAllBytes(pfx, created.Export(X509ContentType.Pkcs12));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(pfx, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WritePem(directory, created);
            return created;
        }
    }

    private static readonly Lock Gate = new();

    private static X509Certificate2 Create(string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(host, out var ip))
        {
            if (!ip.Equals(IPAddress.Loopback) && !ip.Equals(IPAddress.IPv6Loopback)) names.AddIpAddress(ip);
        }
        else if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = DateTimeOffset.UtcNow;
        using var signed = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Re-imported so the private key is usable by Kestrel on every platform.
        return X509CertificateLoader.LoadPkcs12(signed.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
    }

    private static bool Names(X509Certificate2 certificate, string host) => certificate.MatchesHostname(host);

    private static void WritePem(string directory, X509Certificate2 certificate)
    {
        var pem = Path.Combine(directory, PemFileName);
        var text = certificate.ExportCertificatePem() + "\n";
        if (!File.Exists(pem) || File.ReadAllText(pem) != text) File.WriteAllText(pem, text);
    }
}

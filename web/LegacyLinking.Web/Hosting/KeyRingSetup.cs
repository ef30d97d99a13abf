using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LegacyLinking.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace LegacyLinking.Web.Hosting;

/// <summary>
/// The <c>DataProtection</c> section: where the keys that protect cookies (sign-in, antiforgery, status messages, the
/// sign-in's state) are kept. By default in the app's database, so every instance on it reads and writes one key ring;
/// a team that manages keys itself names a folder (shared by every instance) and may encrypt the keys at rest with a
/// certificate.
/// </summary>
public sealed class KeyRingOptions : IValidatableObject
{
    public const string Section = "DataProtection";

    /// <summary>An absolute folder for the key ring instead of the database; every instance must see the same one.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A PKCS#12 (.pfx) file with a private key: keys are encrypted with it at rest, wherever they are kept.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyDirectoryProblem() is { } folder)
            yield return new ValidationResult(ConfigurationRules.Invalid($"{Section}:KeyDirectory", KeyDirectory!, folder));
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            if (!string.IsNullOrEmpty(CertificatePassword))
                yield return new ValidationResult(ConfigurationRules.Missing($"{Section}:CertificatePath", $"a certificate file when '{Section}:CertificatePassword' is set"));
        }
        else if (LoadCertificate(out var problem) is { } certificate)
        {
            certificate.Dispose();
        }
        else
        {
            yield return new ValidationResult(ConfigurationRules.Invalid($"{Section}:CertificatePath", CertificatePath, problem!));
        }
    }

    /// <summary>Why <see cref="KeyDirectory"/> cannot hold the key ring, or null (also when unset).</summary>
    private string? KeyDirectoryProblem()
    {
        if (string.IsNullOrWhiteSpace(KeyDirectory)) return null;
        if (!Path.IsPathFullyQualified(KeyDirectory)) return "an absolute path to a folder every instance shares";
        try
        {
            Directory.CreateDirectory(KeyDirectory);
            var probe = Path.Combine(KeyDirectory, $".write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "a folder this app can create and write to";
        }
    }

    /// <summary>The certificate with its private key, or null with <paramref name="problem"/> saying what is expected.</summary>
    public X509Certificate2? LoadCertificate(out string? problem)
    {
        problem = "a readable PKCS#12 (.pfx) file with a private key, opened by 'DataProtection:CertificatePassword'";
        if (string.IsNullOrWhiteSpace(CertificatePath) || !File.Exists(CertificatePath)) return null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                return null;
            }
            problem = null;
            return certificate;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

public static class KeyRingSetup
{
    /// <summary>What the keys' purposes are scoped to: the same on every instance, whatever folder it runs from.</summary>
    public const string ApplicationName = "LegacyLinking";

    /// <summary>
    /// Data Protection with one key ring for every instance: in the app's database (table <c>data_protection_keys</c>)
    /// unless <c>DataProtection:KeyDirectory</c> names a folder; encrypted at rest with <c>DataProtection:CertificatePath</c>
    /// when set. Without this each machine made a key ring of its own, and a cookie made by one instance was refused by
    /// the next (sign-in, antiforgery, status messages, the sign-in's state).
    /// </summary>
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        var keyRing = builder.AddSettings<KeyRingOptions>(KeyRingOptions.Section);
        var database = new DatabaseOptions();
        SettingsBinder.Bind(builder.Configuration.GetSection(DatabaseOptions.Section), database);

        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (!string.IsNullOrWhiteSpace(keyRing.KeyDirectory) && Path.IsPathFullyQualified(keyRing.KeyDirectory))
            protection.PersistKeysToFileSystem(new DirectoryInfo(keyRing.KeyDirectory));
        else if (database.Provider == DatabaseProvider.Postgres)
            protection.PersistKeysToDbContext<PostgresAppDbContext>();
        else
            protection.PersistKeysToDbContext<SqliteAppDbContext>();
        // A bad certificate setting is left out here: the start check stops the app naming it.
        if (keyRing.LoadCertificate(out _) is { } certificate) protection.ProtectKeysWithCertificate(certificate);
        return builder;
    }

    /// <summary>
    /// Data protection reads (on a fresh database: creates and stores) the key ring as the app starts, so the first
    /// request that protects a cookie does not. That read runs on another thread here, beside the rest of the start
    /// (the hosted services after it, the server's start, the first request's routing), instead of holding the start
    /// up: a request that needs a key meanwhile waits for it inside data protection. Call it once every service is added
    /// (each setup that uses data protection adds its start-up read again). Found by its type name (the service is
    /// internal): should a version rename it, the ring is read on the start's own thread again, as before.
    /// </summary>
    public static IHostApplicationBuilder LoadKeyRingInBackground(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var loader = services.FirstOrDefault(s => s.ServiceType == typeof(IHostedService)
            && s.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (loader?.ImplementationType is not { } type) return builder;
        services.Remove(loader);
        services.AddHostedService(sp => new InBackground((IHostedService)ActivatorUtilities.CreateInstance(sp, type), sp.GetRequiredService<MigrationBarrier>()));
        return builder;
    }

    /// <summary>Starts a hosted service on another thread without waiting for it; stopping waits for that start first.</summary>
    private sealed class InBackground(IHostedService inner, MigrationBarrier migrated) : IHostedService
    {
        private Task _started = Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // After the migrations (its table), waiting without holding a thread: its read is synchronous.
            _started = Task.Run(async () =>
            {
                await migrated.Applied.WaitAsync(cancellationToken);
                await inner.StartAsync(cancellationToken);
            }, cancellationToken);
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _started;
            }
            catch (Exception)
            {
                return; // it never started: nothing to stop
            }
            await inner.StopAsync(cancellationToken);
        }
    }
}

using Microsoft.Extensions.Options;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>
/// Seeds <c>Auth:BootstrapAdminKey</c> (<c>OPSDESK_BOOTSTRAP_ADMIN_KEY</c>) as an admin key at
/// start, for dev mode and compose. Idempotent: the same key twice is one row; a revoked
/// bootstrap key stays revoked. If the database is not reachable yet it keeps trying in the background.
/// </summary>
public sealed partial class BootstrapAdminKeyService(
    IOptions<AuthOptions> options,
    ApiKeyRepository keys,
    IHostApplicationLifetime lifetime,
    ILogger<BootstrapAdminKeyService> logger) : IHostedService
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private Task? retrying;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is not { } key)
            return;
        if (!await TrySeedAsync(key, cancellationToken))
            retrying = RetryAsync(key, lifetime.ApplicationStopping);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (retrying is not null)
            await retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The name the bootstrap key is stored under; the prefix keeps it unique if the operator changes the key.</summary>
    public static string NameFor(string key) => "bootstrap-admin-" + Secrets.LookupPrefix(key);

    private async Task RetryAsync(string key, CancellationToken ct)
    {
        try
        {
            do
                await Task.Delay(RetryDelay, ct);
            while (!await TrySeedAsync(key, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TrySeedAsync(string key, CancellationToken ct)
    {
        try
        {
            var (outcome, id) = await keys.SeedAsync(NameFor(key), ApiKeyRoles.Admin, key, ct);
            switch (outcome)
            {
                case SeedOutcome.Created:
                    LogSeeded(logger, id);
                    break;
                case SeedOutcome.Exists:
                    LogExists(logger, id);
                    break;
                case SeedOutcome.Revoked:
                    LogRevoked(logger, id);
                    break;
                default:
                    LogPrefixTaken(logger, id);
                    break;
            }

            return true;
        }
        catch (Exception ex) when (Db.Resilience.DbErrors.IsTransient(ex))
        {
            LogRetry(logger, ex.GetType().Name, RetryDelay.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap admin key stored as key {KeyId}. Use it to create real keys, then revoke it; it is meant for dev mode and compose only")]
    private static partial void LogSeeded(ILogger logger, long? keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin key is already stored as key {KeyId}")]
    private static partial void LogExists(ILogger logger, long? keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap admin key (key {KeyId}) was revoked and stays revoked; unset OPSDESK_BOOTSTRAP_ADMIN_KEY")]
    private static partial void LogRevoked(ILogger logger, long? keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bootstrap admin key was not stored: key {KeyId} has the same prefix and a different secret")]
    private static partial void LogPrefixTaken(ILogger logger, long? keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({Kind}) while storing the bootstrap admin key; retrying every {Seconds} s")]
    private static partial void LogRetry(ILogger logger, string kind, double seconds);
}

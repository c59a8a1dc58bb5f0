using System.Globalization;

namespace OpsDesk.Db.Configuration;

/// <summary>Checks <c>host:port</c> settings (Temporal:Address, Kafka:BootstrapServers) at start, so a typo fails start-up.</summary>
public static class HostPort
{
    /// <summary>A DNS name, IPv4 or [IPv6] address, a colon and a port 1–65535.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
            return false;
        var host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return Uri.CheckHostName(host) != UriHostNameType.Unknown
               && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
               && port is >= 1 and <= 65535;
    }

    /// <summary>A comma-separated list of <c>host:port</c>, each optionally with a <c>scheme://</c> prefix (Kafka listeners).</summary>
    public static bool IsValidList(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && value.Split(',').All(part =>
        {
            var entry = part.Trim();
            var scheme = entry.IndexOf("://", StringComparison.Ordinal);
            return IsValid(scheme >= 0 ? entry[(scheme + 3)..] : entry);
        });
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OpsDesk.Db.Auth;

/// <summary>
/// Formats, hashes and compares API keys and ticket access tokens. A key is
/// <c>odk_&lt;prefix&gt;_&lt;secret&gt;</c>: the prefix is a non-secret lookup id, the secret is
/// 256 random bits. Only SHA-256 hashes are stored; comparisons are constant time.
/// </summary>
public static class Secrets
{
    public const string KeyMarker = "odk_";
    public const string TokenMarker = "odt_";
    public const int PrefixLength = 12;
    public const int MaxPresentedLength = 512;

    // Lowercase base32: no characters a user could confuse, and no '_' or '-' so the prefix ends where the format says.
    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly System.Buffers.SearchValues<char> PrefixChars = System.Buffers.SearchValues.Create(PrefixAlphabet);

    /// <summary>A new key: its lookup prefix and the full key text (shown once, never stored).</summary>
    public static (string Prefix, string Key) NewKey()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        return (prefix, $"{KeyMarker}{prefix}_{RandomSecret()}");
    }

    /// <summary>A new ticket access token.</summary>
    public static string NewTicketToken() => TokenMarker + RandomSecret();

    /// <summary>
    /// The lookup prefix of a presented key. Keys this system minted carry it; any other key (a
    /// bootstrap key chosen by an operator) gets one derived from its hash, which tells nothing
    /// about the key itself.
    /// </summary>
    public static string LookupPrefix(string key)
    {
        if (key.Length > KeyMarker.Length + PrefixLength + 1
            && key.StartsWith(KeyMarker, StringComparison.Ordinal)
            && key[KeyMarker.Length + PrefixLength] == '_'
            && key.AsSpan(KeyMarker.Length, PrefixLength).IndexOfAnyExcept(PrefixChars) < 0)
        {
            return key.Substring(KeyMarker.Length, PrefixLength);
        }

        return "boot-" + Convert.ToHexStringLower(Hash(key), 0, 8);
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="presented"/> hashes to <paramref name="storedHash"/>, in time independent of where they differ.</summary>
    public static bool Matches(string presented, byte[]? storedHash)
    {
        var hash = Hash(presented);
        return storedHash is { Length: SHA256.HashSizeInBytes } && CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    private static string RandomSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

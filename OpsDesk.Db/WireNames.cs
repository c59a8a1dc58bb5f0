using System.Reflection;
using System.Text.Json.Serialization;

namespace OpsDesk.Db;

/// <summary>
/// The wire strings of the enums of the event contracts: each member's
/// <see cref="JsonStringEnumMemberNameAttribute"/> (the member's name when it has none), in
/// declaration order — the same strings the serializer writes.
/// </summary>
public static class WireNames
{
    /// <summary>Every wire string of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Members<T>.Names;

    public static string Of<T>(T value)
        where T : struct, Enum => Members<T>.Names[Array.IndexOf(Members<T>.Values, value)];

    public static bool TryParse<T>(string? wire, out T value)
        where T : struct, Enum
    {
        var index = Array.IndexOf(Members<T>.Names, wire);
        value = index >= 0 ? Members<T>.Values[index] : default;
        return index >= 0;
    }

    /// <summary>The member for a wire string; a string that is not one is a bug upstream (the database's CHECKs admit only these).</summary>
    public static T Parse<T>(string wire)
        where T : struct, Enum =>
        TryParse<T>(wire, out var value) ? value : throw new FormatException($"'{wire}' is not a {typeof(T).Name} (one of: {string.Join(", ", Members<T>.Names)}).");

    private static class Members<T>
        where T : struct, Enum
    {
        public static readonly T[] Values = Enum.GetValues<T>();

        public static readonly string[] Names = Values
            .Select(v => typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString())
            .ToArray();
    }
}

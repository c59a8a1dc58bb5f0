using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// Every configuration key the OpsDesk code binds, found by reflection: the options classes (types
/// with a <c>public const string Section</c>) in the OpsDesk assemblies next to the tests, their
/// public settable properties, nested classes, dictionaries and lists. New options classes join by
/// themselves.
/// </summary>
internal sealed class BoundConfiguration
{
    private readonly Node root = new();

    private BoundConfiguration()
    {
    }

    /// <summary>The options classes found, by section.</summary>
    public Dictionary<string, Type> OptionsTypes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static BoundConfiguration Discover()
    {
        var bound = new BoundConfiguration();
        foreach (var type in OpsDeskAssemblies().SelectMany(LoadableTypes))
        {
            var field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static);
            if (field is not { IsLiteral: true } || field.FieldType != typeof(string))
                continue;
            var section = (string)field.GetRawConstantValue()!;
            bound.OptionsTypes[section] = type;
            var node = bound.root;
            foreach (var segment in section.Split(':'))
                node = node.Child(segment);
            node.Merge(Build(type, depth: 0));
        }

        // Bound by name rather than through an options class with a Section.
        bound.root.Child("ConnectionStrings").Child("OpsDesk").IsLeaf = true;
        return bound;
    }

    public bool BindsSection(string section) => root.Children.ContainsKey(section);

    /// <summary>Whether a key ("Temporal:Address", "Kafka:Producer:linger.ms") lands in a bound setting.</summary>
    public bool Binds(string key)
    {
        var node = root;
        foreach (var segment in key.Split(':'))
        {
            if (node.Children.TryGetValue(segment, out var child))
                node = child;
            else if (node.AnyChild is { } any)
                node = any;
            else
                return false;
        }

        return node.IsLeaf;
    }

    private static IEnumerable<Assembly> OpsDeskAssemblies()
    {
        var self = typeof(BoundConfiguration).Assembly.GetName().Name;
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name == self || !(name.StartsWith("OpsDesk.", StringComparison.Ordinal) || name == "opsdesk"))
                continue;
            yield return Assembly.Load(AssemblyName.GetAssemblyName(file));
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private static Node Build(Type type, int depth)
    {
        var node = new Node();
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            node.IsLeaf = true;
            return node;
        }

        if (depth > 8)
            return node;

        if (ElementType(type) is { } element)
        {
            node.AnyChild = Build(element, depth + 1);
            return node;
        }

        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.GetMethod is not { IsPublic: true })
                continue;
            var propertyType = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            // The binder sets settable properties and fills get-only objects and collections in place.
            var settable = p.SetMethod is { IsPublic: true };
            if (settable || !IsScalar(propertyType))
                node.Children[p.Name] = Build(propertyType, depth + 1);
        }

        return node;
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(Guid) || type == typeof(Uri)
        || (!typeof(IEnumerable).IsAssignableFrom(type) && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)));

    /// <summary>The value type of a dictionary, or the element type of an array or list.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        var interfaces = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        foreach (var i in interfaces.Where(i => i.IsGenericType))
        {
            var def = i.GetGenericTypeDefinition();
            if (def == typeof(IDictionary<,>) || def == typeof(IReadOnlyDictionary<,>))
                return i.GetGenericArguments()[1];
        }

        foreach (var i in interfaces.Where(i => i.IsGenericType))
        {
            if (i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                return i.GetGenericArguments()[0];
        }

        return null;
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Set for dictionaries and lists: any key (or index) leads here.</summary>
        public Node? AnyChild { get; set; }

        public bool IsLeaf { get; set; }

        public Node Child(string name)
        {
            if (!Children.TryGetValue(name, out var child))
                Children[name] = child = new Node();
            return child;
        }

        public void Merge(Node other)
        {
            IsLeaf |= other.IsLeaf;
            AnyChild ??= other.AnyChild;
            foreach (var (name, child) in other.Children)
                Child(name).Merge(child);
        }
    }
}

using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Newtonsoft.Json.Linq;

namespace DurableSingletons.ReferenceHost;

/// <summary>
/// Emits one WebJobs function per durable JS function, as the Functions host does for script languages: a static method
/// named by <c>[FunctionName]</c> whose trigger parameter is a <c>string</c> (which makes the extension treat it as
/// out-of-proc and hand it the context JSON) and whose body forwards to <see cref="Bridge"/>.
/// </summary>
public static class JsFunctionEmitter
{
    public static Type Emit(IEnumerable<JsFunction> functions)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("JsFunctions"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("JsFunctions");
        var type = module.DefineType("JsFunctions", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var index = 0;
        foreach (var fn in functions)
        {
            var (trigger, returnType, target) = fn.Kind switch
            {
                "orchestration" => (typeof(OrchestrationTriggerAttribute), typeof(Task<string>), nameof(Bridge.Orchestrate)),
                "activity" => (typeof(ActivityTriggerAttribute), typeof(Task<JToken?>), nameof(Bridge.Activity)),
                "entity" => (typeof(EntityTriggerAttribute), typeof(Task<JObject>), nameof(Bridge.Entity)),
                _ => throw new ArgumentException($"Unknown function kind '{fn.Kind}' for {fn.Name}"),
            };
            var method = type.DefineMethod($"F{index++}", MethodAttributes.Public | MethodAttributes.Static, returnType, [typeof(string)]);
            method.SetCustomAttribute(new CustomAttributeBuilder(
                typeof(FunctionNameAttribute).GetConstructor([typeof(string)])!, [fn.Name]));
            var parameter = method.DefineParameter(1, ParameterAttributes.None, "context");
            parameter.SetCustomAttribute(new CustomAttributeBuilder(trigger.GetConstructor(Type.EmptyTypes)!, []));
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldstr, fn.Name);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, typeof(Bridge).GetMethod(target)!);
            il.Emit(OpCodes.Ret);
        }
        return type.CreateType();
    }
}

// A finding's message prints as C++ that compiles and rebuilds it: each case
// below is written once, compiled as code and compared, as text, with what
// FuzzValueLiteral prints for the object that code builds.
#include <cmath>
#include <limits>

#include "xpctest/fuzz.h"
#include "xpctest/xpctest.h"

namespace xpctest {
namespace {

struct Literal {
  std::string text;
  Object object;
};

// The code as written and the object it builds.
#define LITERAL(...) \
  Literal { #__VA_ARGS__, Object(__VA_ARGS__) }

void ExpectPrintsAsWritten(const Literal& literal) {
  FuzzValue value = FuzzValueFromXpc(literal.object.get());
  EXPECT_EQ(FuzzValueLiteral(value), literal.text);
  EXPECT_EQ(FuzzValueMismatch(value, literal.object.get()), "") << literal.text;
}

TEST(FuzzLiteral, ScalarsPrintAsBuilderArguments) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"a", 2}, {"b", -3}, {"c", true}, {"d", false}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"big", 5000000000}, {"small", -5000000000}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"min", (-9223372036854775807LL - 1)}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"max", 9223372036854775807}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"u", xpctest::Uint64(18446744073709551615ULL)}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"date", xpctest::Date(-1)}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"none", xpctest::Null()}}));
}

TEST(FuzzLiteral, DoublesStayDoubles) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"half", 0.5}, {"neg", -0.0}, {"one", 1.0}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"tiny", 4.9406564584124654e-324}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"big", 1.7976931348623157e+308}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"inf", -std::numeric_limits<double>::infinity()}}));
}

TEST(FuzzLiteral, ANanPrintsAsQuietNan) {
  Literal literal = LITERAL(xpctest::Dict{{"nan", std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_EQ(FuzzValueLiteral(FuzzValueFromXpc(literal.object.get())), literal.text);
  EXPECT_TRUE(std::isnan(literal.object["nan"].AsDouble()));
}

TEST(FuzzLiteral, StringsEscapeWhatCIsPickyAbout) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"q\"uo\\te", "tab\011new\012line"}}));
  // Octal escapes never run into a following digit, as \x escapes would.
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"k", "\0011\377"}}));
}

TEST(FuzzLiteral, BytesWithANulCarryTheirLength) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"d", xpctest::Data("abc")}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"d", xpctest::Data(std::string_view("a\000b", 3))}}));
  // (Literals are compared as written: each stays on one line.)
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"u", xpctest::Uuid(reinterpret_cast<const unsigned char*>("0123456789abcdef"))}}));
}

TEST(FuzzLiteral, DescriptorsAndSharedMemoryUseTheirBuilders) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"f", xpctest::FileFd("contents")}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"m", xpctest::Shmem("shared")}}));
  // A pipe's contents cannot be read back without taking them.
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"p", xpctest::PipeFd("")}}));
}

TEST(FuzzLiteral, ContainersNest) {
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"a", xpctest::Array{}}}));
  // One array in an array stays nested (not a copy of the inner one).
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"a", xpctest::Array{xpctest::Value(xpctest::Array{1})}}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"a", xpctest::Array{xpctest::Array{1}, xpctest::Array{}}}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"a", xpctest::Array{1, "two", xpctest::Dict{{"three", 3.0}}, xpctest::Null()}}}));
  ExpectPrintsAsWritten(LITERAL(xpctest::Dict{{"d", xpctest::Dict{{"e", xpctest::Dict{}}}}}));
}

TEST(FuzzLiteral, AnEndpointNamesTheListenerToDeclare) {
  FuzzValue endpoint(FuzzType::kEndpoint);
  EXPECT_EQ(FuzzValueLiteral(FuzzDictionary({{"cb", endpoint}})),
            "xpctest::Dict{{\"cb\", xpctest::Endpoint(listener)}}");
}

TEST(FuzzLiteral, AnInputPrintsAsTheBodyOfATest) {
  FuzzInput input{{true, 0, FuzzDictionary({{"op", FuzzString("add")}})},
                  {false, 1, FuzzDictionary({})}};
  EXPECT_EQ(FuzzInputAsTestCode(input),
            "client.SendSync(xpctest::Dict{{\"op\", \"add\"}});\n"
            "client1.Send(xpctest::Dict{});\n");
}

}  // namespace
}  // namespace xpctest
